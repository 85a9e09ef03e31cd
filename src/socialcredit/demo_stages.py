"""The later stages of `make demo`: notices delivered, lists and decisions, remedies in
flight."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from sqlalchemy import func, select

from socialcredit.clock import day_of
from socialcredit.demo_mail import MboxSink
from socialcredit.enforcement.entries import is_active
from socialcredit.enforcement.model import ListEntry
from socialcredit.enforcement.service import Enforcement
from socialcredit.errors import SocialCreditError
from socialcredit.identifiers import parse
from socialcredit.notices.channels import Channel, channels_from_settings
from socialcredit.notices.outbox import DeliveryResult, deliver
from socialcredit.notices.sweep import generate_due
from socialcredit.remedies.cases import cases
from socialcredit.remedies.objections import file_objection
from socialcredit.remedies.repair import Showing, apply_repair
from socialcredit.safeguards.audit import undelivered_notices
from socialcredit.services.ingest import ingestor
from socialcredit.settings import Settings
from socialcredit.store.database import Store
from socialcredit.store.tables import list_entries, notices, records


def _entries(store: Store, day: dt.date) -> list[ListEntry]:
    with store.reader() as conn:
        return [
            ListEntry.load(r.status_basis, day)
            for r in conn.execute(select(list_entries.c.status_basis))
        ]


def notice_channels(root: Path, smtp_port: int) -> list[Channel]:
    """The demo's channels: e-mail to the local sink, SMS and letters handed over through
    files, and the JSONL feed of every notice, all in the demo folder (absolute paths: a
    relative one would be taken in the outbox folder beside the store)."""
    root = root.resolve()
    settings = Settings(
        notice_channels=("smtp", "sms", "post", "jsonl"),
        smtp_host="127.0.0.1",
        smtp_port=smtp_port,
        smtp_from="notices@credit.example",
        notice_file=str(root / "notices.jsonl"),
        sms_file=str(root / "sms.jsonl"),
        post_file=str(root / "post.jsonl"),
    )
    for name in (settings.notice_file, settings.sms_file, settings.post_file):
        Path(name).unlink(missing_ok=True)
    return channels_from_settings(settings)


@dataclass
class NoticeRuns:
    """The platform's notice runs (the sweep, then delivery), with their totals."""

    channels: list[Channel]
    created: int = 0
    totals: DeliveryResult = field(default_factory=DeliveryResult)

    def run(self, store: Store) -> None:
        self.created += generate_due(store).total
        done = deliver(store, self.channels)
        t = self.totals
        t.fanned_out += done.fanned_out
        t.delivered += done.delivered
        t.mailbox += done.mailbox
        t.failed += done.failed
        t.pending = done.pending
        for name, n in done.by_channel.items():
            t.by_channel[name] = t.by_channel.get(name, 0) + n
        t.errors = (t.errors + done.errors)[-20:]


def deliveries(store: Store, runs: NoticeRuns, sink: MboxSink, console: Console) -> None:
    """How the notices reached their recipients, and whether any came too late."""
    with store.reader() as conn:
        total = int(conn.execute(select(func.count()).select_from(notices)).scalar() or 0)
    t = runs.totals
    table = Table(title=f"notices delivered ({total:,} notices)")
    table.add_column("channel")
    table.add_column("deliveries", justify="right")
    for label, n in (
        ("e-mail to a consented address (local SMTP sink)", t.by_channel.get("smtp", 0)),
        ("text message to a consented number (sms.jsonl)", t.by_channel.get("sms", 0)),
        ("letter to a consented address (post.jsonl)", t.by_channel.get("post", 0)),
        ("platform mailbox (no consented contact)", t.mailbox),
        ("feed of every notice (notices.jsonl)", t.by_channel.get("jsonl", 0)),
        ("still pending", t.pending),
    ):
        table.add_row(label, f"{n:,}")
    console.print(table)
    late = undelivered_notices(store)
    console.print(
        f"the SMTP sink received {sink.received:,} e-mails for {len(sink.recipients):,} "
        f"addresses (demo/mail.mbox); listing notices not delivered before the listing "
        f"took effect: {len(late):,}"
    )
    for error in t.errors[:5]:
        console.print(f"  delivery error: {error}")


STATUSES = ("active", "pending", "suspended", "ended")  # columns of the lists table


def list_sizes(store: Store, console: Console) -> list[ListEntry]:
    day = day_of(store.clock.now())
    entries = _entries(store, day)
    table = Table(title=f"red and black lists on {day}")
    columns = ("in force", "pending (notice)", "suspended", "ended")
    for col in ("list", "kind", *columns):
        table.add_column(col, justify="right" if col not in ("list", "kind") else "left")
    by_list: dict[str, list[ListEntry]] = {}
    for e in entries:
        by_list.setdefault(e.list, []).append(e)
    for name, items in sorted(by_list.items()):
        counts = {s: sum(1 for e in items if e.status == s) for s in STATUSES}
        table.add_row(name, items[0].kind, *(f"{counts[s]:,}" for s in STATUSES))
    console.print(table)
    return entries


def sample_decisions(store: Store, entries: list[ListEntry], console: Console) -> None:
    day = day_of(store.clock.now())
    service = Enforcement(store)
    samples: list[tuple[str, str, str]] = []
    for name, action, why in (
        ("court_defaulters", "transport.air.ticket", "a listed judgment defaulter buys a flight"),
        (
            "serious_illegal_dishonest_enterprises",
            "procurement.bid",
            "a seriously dishonest enterprise bids for a contract",
        ),
        ("court_defaulters", "procurement.bid", "a listed enterprise bids for a contract"),
        ("tax_a_grade", "government.permit", "an A-grade taxpayer asks for a permit"),
        ("tax_d_grade", "tax.invoice", "a D-grade taxpayer asks for invoices"),
        ("rongcheng_honour", "utilities.bill", "a Rongcheng AAA resident pays the heating bill"),
    ):
        entry = next(
            (
                e
                for e in entries
                if e.list == name
                and is_active(e, day)
                and (action != "procurement.bid" or parse(e.subject).kind != "person")
            ),
            None,
        )
        if entry is not None:
            samples.append((entry.subject, action, why))
    samples.append(
        ("11010519491231002X", "transport.air.ticket", "a person on no list buys a flight")
    )
    table = Table(title="sample decisions")
    for col in ("situation", "subject", "action", "decision", "because"):
        table.add_column(col)
    try:
        for subject, action, why in samples:
            try:
                d = service.check(subject, action, requester="demo")
            except SocialCreditError as exc:
                table.add_row(why, subject, action, "error", exc.message)
                continue
            because = "; ".join(f"{m.title} ({m.list})" for m in d.measures[:2]) or "—"
            table.add_row(why, subject, action, d.outcome.upper(), because)
    finally:
        service.close()
    console.print(table)


def remedies_in_flight(store: Store, entries: list[ListEntry], console: Console) -> None:
    """File a few objections and repair applications, as residents would."""
    day = day_of(store.clock.now())
    filed: list[str] = []
    with store.reader() as conn:
        traffic = conn.execute(
            select(records.c.subject, records.c.id)
            .where(records.c.category == "transport.traffic_violation")
            .order_by(records.c.seq.desc())
            .limit(3)
        ).all()
    for row in traffic:
        try:
            case = file_objection(
                ingestor(store),
                row.subject,
                record=row.id,
                grounds="wrong",
                evidence="I was abroad that day; see my passport stamps",
            )
            filed.append(case.case.id)
        except SocialCreditError as exc:
            console.print(f"  objection not filed: {exc.code}: {exc.message}")
    repairable = [
        e
        for e in entries
        if e.list in ("serious_illegal_dishonest_enterprises", "major_tax_violators")
        and is_active(e, day)
    ]
    for entry in repairable[:3]:
        try:
            case = apply_repair(
                ingestor(store),
                entry.subject,
                entry=entry.id,
                showing=Showing(pledge=True, course=True),
            )
            filed.append(case.case.id)
        except SocialCreditError as exc:
            console.print(f"  repair not applied for: {exc.code}: {exc.message}")
    open_cases = cases(store)
    table = Table(title=f"remedies in flight ({len(open_cases)} open cases)")
    for col in ("case", "subject", "next", "who", "by"):
        table.add_column(col)
    for view in open_cases[:8]:
        d: dict[str, Any] = view.to_dict()
        nxt = d.get("next") or {}
        table.add_row(
            str(d.get("case")),
            str(d.get("subject")),
            str(nxt.get("action", "—")),
            str(nxt.get("who", "—")),
            str(nxt.get("deadline", "—")),
        )
    console.print(table)


def decisions_logged(store: Store) -> int:
    from socialcredit.store.tables import decision_log

    with store.reader() as conn:
        return int(conn.execute(select(func.count()).select_from(decision_log)).scalar() or 0)


__all__ = ["dt", "list_sizes", "remedies_in_flight", "sample_decisions"]
