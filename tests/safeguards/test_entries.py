"""The safeguards audit: clean on a normal store, and finding every planted violation."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from sqlalchemy import delete, select, update
from typer.testing import CliRunner

from socialcredit.cli import app as cli_app
from socialcredit.clock import FixedClock
from socialcredit.enforcement.model import ListEntry
from socialcredit.enforcement.service import Enforcement
from socialcredit.ledger.policy_store import store_version
from socialcredit.ledger.registry import register_providers
from socialcredit.notices.channels import JsonlChannel
from socialcredit.notices.outbox import deliver
from socialcredit.notices.sweep import generate_due
from socialcredit.policy.pack import default_packs, load_pack_files
from socialcredit.policy.policy_set import PolicySet
from socialcredit.safeguards.audit import (
    CHECKS,
    SafeguardsAudit,
    audit_safeguards,
    undelivered_notices,
)
from socialcredit.safeguards.entries import EntryFacts, check_entry, max_term_days
from socialcredit.services.ingest import ingestor
from socialcredit.store.bulk import db_datetime, insert_rows
from socialcredit.store.database import Store
from socialcredit.store.tables import activations, decision_log, list_entries, notices

from support.factories import judgment_default, org_id, person_id

DEBTOR = person_id(seq=51)
LATE = person_id(seq=53)
CASE = "(2026)鲁1082执51号"
ENTRY = f"court_defaulters:{DEBTOR}:{CASE}"


def ingest(store: Store, *rows: dict[str, Any]) -> None:
    result = ingestor(store).ingest_dicts(rows)
    assert result.rejected == 0, result.errors


def default(subject: str = DEBTOR, case: str = CASE, day: str = "2026-03-01") -> dict[str, Any]:
    return judgment_default(
        ref=case,
        subject=subject,
        occurred_at=day,
        attributes={"case_no": case, "ground": "evades_enforcement"},
    )


@pytest.fixture
def normal(store: Store, tmp_path: Path) -> Iterator[Store]:
    """A listing notified and delivered in time (to the platform mailbox: the debtor gave
    no contact), in force, and a refusal logged with its reasons."""
    ingest(store, default())
    assert deliver(store, [JsonlChannel(tmp_path / "feed.jsonl")]).mailbox == 1
    clock = store.clock
    assert isinstance(clock, FixedClock)
    clock.set("2026-04-01T02:00:00")
    generate_due(store)
    service = Enforcement(store)
    assert service.check(DEBTOR, "transport.air.ticket").outcome == "deny"
    service.close()
    yield store


def found(result: SafeguardsAudit, check: str) -> list[str]:
    return [v.message for v in result.violations if v.check == check]


def test_a_normal_store_keeps_every_safeguard(normal: Store) -> None:
    result = audit_safeguards(normal)
    assert result.ok, result.violations
    assert (result.entries, result.decisions) == (1, 1)
    assert len(result.packs) == 3
    assert set(result.counts) == set(CHECKS)
    assert result.counts["notice"].checked == 1
    assert result.counts["legal_basis"].checked == 2  # the entry and the decision
    assert result.counts["protected"].checked == 3  # one per active pack
    body = result.to_dict()
    assert body["ok"] and body["checks"]["end_date"] == {"checked": 1, "violations": 0}


def test_a_listing_notice_not_delivered_by_the_day_it_takes_effect(
    store: Store, tmp_path: Path
) -> None:
    ingest(store, default())  # 2 March: takes effect on 1 April
    clock = store.clock
    assert isinstance(clock, FixedClock)
    clock.set("2026-03-20T02:00:00")
    assert found(audit_safeguards(store), "delivery") == []  # not due yet
    assert undelivered_notices(store) == []
    clock.set("2026-04-01T02:00:00")
    (late,) = undelivered_notices(store)
    assert (late.check, late.item) == ("delivery", ENTRY)
    assert late.message == "the listing notice was not delivered by 2026-04-01, when it took effect"
    # delivered only now, on the day it took effect: still late
    deliver(store, [JsonlChannel(tmp_path / "feed.jsonl")])
    (message,) = found(audit_safeguards(store), "delivery")
    assert "delivered on 2026-04-01, not before the listing took effect" in message


def test_a_listing_without_notice(normal: Store) -> None:
    with normal.writer() as conn:
        conn.execute(delete(notices).where(notices.c.ref == ENTRY))
    result = audit_safeguards(normal)
    assert found(result, "notice") == ["no notice of the listing was created"]
    assert result.counts["notice"].violations == 1 and not result.ok


def test_a_record_reported_after_its_listing_took_effect(normal: Store) -> None:
    # reported on 2026-04-01, three months late: the notice period runs from the report
    ingest(normal, default(subject=LATE, case="late-1", day="2026-01-05"))
    late = f"court_defaulters:{LATE}:late-1"
    with normal.reader() as conn:
        stored = conn.execute(
            select(list_entries.c.status_basis).where(list_entries.c.id == late)
        ).scalar_one()
    entry = ListEntry.load(stored, dt.date(2026, 3, 2))  # the stored dates, as of today
    assert (entry.pending_from, entry.effective_from) == (dt.date(2026, 4, 1), dt.date(2026, 5, 1))
    result = audit_safeguards(normal)
    assert result.ok, result.violations
    assert result.counts["notice"].checked == 2
    # the listing as it was stored when the notice ran from the ground's day: in force
    # since 2026-02-04, its first notice created on 2026-04-01 — the audit finds it
    _edit_entry(
        normal,
        late,
        pending_from="2026-01-05",
        effective_from="2026-02-04",
        ends_at="2028-02-04",
        end="2028-02-04",
    )
    with normal.writer() as conn:
        conn.execute(
            update(notices).where(notices.c.ref == late).values(effective_on=dt.date(2026, 2, 4))
        )
    (message,) = found(audit_safeguards(normal), "notice")
    assert "not before the listing took effect on 2026-02-04" in message


def test_decisions_without_measures_or_legal_basis(normal: Store) -> None:
    service = Enforcement(normal)
    assert service.outcome(DEBTOR, "transport.air.ticket") == "deny"  # the fast path
    service.close()
    with normal.writer() as conn:
        insert_rows(
            conn,
            "decision_log",
            tuple(c.name for c in decision_log.c),
            [
                (
                    99,
                    db_datetime(conn, normal.clock.now()),
                    "planted",
                    DEBTOR,
                    "procurement.bid",
                    "deny",
                    False,
                    db_datetime(conn, normal.clock.now()),
                    db_datetime(conn, normal.clock.now()),
                    "national@x",
                    orjson.dumps({"measures": [], "entries": [], "legal_bases": []}).decode(),
                    None,  # no purpose stated
                    None,
                )
            ],
        )
    result = audit_safeguards(normal)
    assert result.decisions == 3
    explanation = found(result, "explanation")
    assert "the deny decision names no list entries" in explanation
    assert "the deny decision names no measures and no list entries" in explanation
    assert found(result, "legal_basis") == ["the decision states no legal basis"] * 2
    assert {v.item for v in result.violations} == {"decision 2", "decision 99"}


def _edit_entry(store: Store, entry_id: str = ENTRY, **changes: Any) -> None:
    with store.writer() as conn:
        text = conn.execute(
            select(list_entries.c.status_basis).where(list_entries.c.id == entry_id)
        ).scalar_one()
        entry = json.loads(text)
        entry.update(changes)
        values: dict[str, Any] = {"status_basis": json.dumps(entry)}
        for column, key in (
            ("pending_from", "pending_from"),
            ("effective_from", "effective_from"),
            ("ends_on", "end"),
        ):
            if key in changes:
                values[column] = dt.date.fromisoformat(changes[key])
        conn.execute(update(list_entries).where(list_entries.c.id == entry_id).values(**values))


def test_an_entry_without_end_or_longer_than_its_list_allows(normal: Store) -> None:
    _edit_entry(normal, ends_at="2040-01-01", end="2040-01-01")
    (message,) = found(audit_safeguards(normal), "end_date")
    assert "longer than the list's maximum of 1825" in message
    _edit_entry(normal, ends_at="9999-12-31", end="9999-12-31")
    assert found(audit_safeguards(normal), "end_date") == ["the entry has no end date"]


def test_an_entry_whose_ground_or_basis_is_missing(normal: Store) -> None:
    _edit_entry(normal, ground_record="0" * 32, legal_basis="")
    result = audit_safeguards(normal)
    assert found(result, "explanation") == [f"ground record {'0' * 32} is not in the ledger"]
    assert found(result, "legal_basis") == ["the entry cites no legal basis"]
    assert found(result, "objection_path") == ["no ground record to object to"]


def test_a_provider_no_longer_authorised_closes_the_objection_path(normal: Store) -> None:
    register_providers(
        normal,
        [
            {
                "id": "spc.national",
                "kind": "court",
                "name": "Supreme People's Court",
                "jurisdiction": "national",
                "categories": ["judicial.judgment_fulfilled"],
            }
        ],
        default_packs(),
    )
    (message,) = found(audit_safeguards(normal), "objection_path")
    assert message == "provider spc.national is no longer authorised for judicial.judgment_default"


BAD_PACK = {
    "pack.yaml": 'name: local-bad\nversion: "1"\ntitle: Bad\njurisdiction: "371082"\n'
    "level: municipal\nscope: [person]\n",
    "categories.yaml": "categories:\n  civic.temple_visit:\n    title: Temple visit\n"
    "    domain: social\n    severity: minor\n    subjects: [person]\n"
    "    legal_basis: civil_code art. 577\n    attributes:\n      religion: {type: string}\n",
}


def test_an_active_pack_reading_a_protected_attribute(normal: Store) -> None:
    # activated behind the lint's back (as an older version of the platform could have)
    pack = load_pack_files(BAD_PACK, Path("local-bad"))
    now = normal.clock.now()
    with normal.writer() as conn:
        digest = store_version(conn, pack, now)
        seq = len(conn.execute(select(activations.c.seq)).all()) + 1
        insert_rows(
            conn,
            "activations",
            ("seq", "pack", "digest", "action", "activated_at", "note"),
            [(seq, pack.name, digest, "activate", db_datetime(conn, now), "planted")],
        )
    result = audit_safeguards(normal)
    messages = found(result, "protected")
    assert any("attributes.religion: concerns a protected ground" in m for m in messages)
    assert any("civic.temple_visit: name: concerns a protected ground" in m for m in messages)
    assert {v.item for v in result.violations} == {"pack local-bad"}


def test_the_longest_term_of_the_default_lists() -> None:
    policy = PolicySet(default_packs())
    lists = {n: i.definition for n, i in policy.lists.items()}
    # ground 1 until performance, or 2 years and the longest extension the court may set
    assert max_term_days(lists["court_defaulters"], policy) == 1825
    assert max_term_days(lists["serious_illegal_dishonest_enterprises"], policy) == 1095


def test_the_command_exits_1_on_a_violation(normal: Store) -> None:
    runner = CliRunner()
    clean = runner.invoke(cli_app, ["--db", normal.url, "safeguards", "audit", "--json"])
    assert clean.exit_code == 0, clean.output
    assert json.loads(clean.stdout)["ok"] is True
    with normal.writer() as conn:
        conn.execute(delete(notices).where(notices.c.ref == ENTRY))
    bad = runner.invoke(cli_app, ["--db", normal.url, "safeguards", "audit", "--days", "400"])
    assert bad.exit_code == 1
    assert "notice" in bad.stdout and "violation(s)" in bad.stdout


TAX_D_PACK = {
    "pack.yaml": 'name: tax-d\nversion: "1"\ntitle: Tax D\njurisdiction: national\n'
    "level: sector\nscope: [enterprise]\n",
    "lists.yaml": "lists:\n  tax_d_grade:\n    title: D-grade taxpayers\n    kind: black\n"
    "    domain: commercial\n    authority: Tax authorities\n    subjects: [enterprise]\n"
    "    legal_basis: sat_announcement_2014_40 art. 17\n    notice_days: 0\n"
    "    zero_notice_basis: sat_announcement_2014_40 art. 17\n"
    "    entry:\n      grade: {scheme: tax, grades: [D]}\n",
}


def test_a_grade_based_entry_rests_on_the_current_grade_and_its_notice() -> None:
    policy = PolicySet([*default_packs(), load_pack_files(TAX_D_PACK, Path("tax-d"))])
    firm = org_id(code="MA3C4D5G8")
    day = dt.date(2026, 4, 1)
    entry = ListEntry(
        id=f"tax_d_grade:{firm}:tax:D",
        list="tax_d_grade",
        kind="black",
        subject=firm,
        act_key="tax:D",
        ground_record=None,
        authority="Tax authorities",
        legal_basis="SAT Announcement 2014 No. 40 art. 32",
        pending_from=day,
        effective_from=day,
        ends_at=day + dt.timedelta(days=31),
        end=day + dt.timedelta(days=31),
        status="active",
        pack="tax-d",
    )

    def facts(grade: str | None, notified: bool) -> EntryFacts:
        created = [dt.datetime(2026, 4, 1, 3)] if notified else []
        return EntryFacts(policy, day, {}, {}, {}, {(firm, "tax"): grade}, {(firm, "tax"): created})

    ok = dict(check_entry(entry, facts("D", True)))
    assert all(v is None for v in ok.values())
    assert set(ok) == {"legal_basis", "explanation", "notice", "objection_path", "end_date"}
    bad = dict(check_entry(entry, facts("B", False)))
    assert bad["explanation"] is not None and "current grade in tax is B" in (
        bad["explanation"].message
    )
    assert bad["notice"] is not None and bad["objection_path"] is None
