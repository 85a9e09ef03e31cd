"""Notices to subjects: the model, deterministic ids, storing them and reading them.

A notice tells a subject (and, for an organisation, its legal representative)
of a change that affects it: what changed, why (the records and rules), the
legal basis, the day it takes or took effect, how to object and how to
repair, with the deadlines (docs/remedies.md, "Notices").

Notices are derived from list entries and assessments. Each has a
deterministic id -- a hash of subject, recipient, kind, what it is about and
its effective day -- so generating them again never duplicates one.
Creating a notice is an audited write (``notice.created``, with the hash of
its body) and queues it in the outbox (see :mod:`socialcredit.notices.outbox`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict
from sqlalchemy import Connection, Row, or_, select

from socialcredit.identifiers import parse
from socialcredit.policy.lists import MeasureDef
from socialcredit.store.bulk import db_date, db_datetime, insert_rows, select_in
from socialcredit.store.chain import AuditWriter
from socialcredit.store.content import canonical_json
from socialcredit.store.database import Store
from socialcredit.store.tables import notices

NOTICE_EVENT = "notice.created"
FANOUT = ""  # outbox channel of a notice not yet fanned out to the configured channels
NoticeKind = Literal[
    "listing_pending",  # a black-list entry was made; it takes effect after the notice period
    "listing_effective",  # a black-list entry took effect
    "listing_ended",  # an entry ended: term over, removed, or its ground withdrawn
    "red_listing",  # a red-list entry (a reward) took effect
    "grade_low",  # a grade fell into the two lowest bands of a scheme
    "grade_top",  # a grade rose into the top band of a scheme (a reward)
    "measure_applies",  # a measure newly applies to a person through an organisation's entry
]
KINDS: tuple[NoticeKind, ...] = (
    "listing_pending",
    "listing_effective",
    "listing_ended",
    "red_listing",
    "grade_low",
    "grade_top",
    "measure_applies",
)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RecordRef(_Frozen):
    """A record a notice rests on."""

    id: str
    category: str
    provider: str
    occurred_at: dt.date
    legal_basis: str | None = None


class MeasureRef(_Frozen):
    """A measure that applies (or will apply) because of the change."""

    measure: str
    title: str
    effect: str
    actions: tuple[str, ...]
    legal_basis: str
    target: str  # 'subject' or the role through which it reaches the recipient

    @classmethod
    def of(cls, definition: MeasureDef, target: str) -> MeasureRef:
        """The reference a notice gives to a measure reaching its recipient as ``target``."""
        return cls(
            measure=definition.name,
            title=definition.title,
            effect=definition.effect,
            actions=definition.actions,
            legal_basis=definition.basis_text,
            target=target,
        )


class Deadline(_Frozen):
    what: str
    date: dt.date


class Objection(_Frozen):
    """How to object: the command and endpoint, the records to name, the periods."""

    command: str
    endpoint: str
    records: tuple[str, ...]  # the records an objection names (docs/remedies.md)
    text: str
    deadlines: tuple[Deadline, ...] = ()


class Repair(_Frozen):
    """How to repair: end the listing by meeting the obligation, or apply for early end."""

    text: str
    minimum_days: int  # minimum publicity period before a repair application
    eligible_from: dt.date | None
    removal_categories: tuple[str, ...] = ()
    basis: str = ""


class NoticeBody(_Frozen):
    kind: NoticeKind
    adverse: bool
    title: str  # one line: what happened
    what: str
    list: str | None = None
    list_title: str | None = None
    list_kind: str | None = None
    entry: str | None = None  # list entry id
    scheme: str | None = None
    grade: str | None = None
    previous_grade: str | None = None
    via: str | None = None  # the organisation, for a notice reaching a person through it
    role: str | None = None  # the recipient's role when it is not the subject itself
    measures: tuple[MeasureRef, ...] = ()
    why: str
    records: tuple[RecordRef, ...] = ()
    rules: tuple[str, ...] = ()
    legal_basis: tuple[str, ...] = ()
    effective_on: dt.date
    ends_on: dt.date | None = None
    objection: Objection
    repair: Repair | None = None
    deadlines: tuple[Deadline, ...] = ()


class Notice(_Frozen):
    id: str
    subject: str
    recipient: str
    kind: NoticeKind
    ref: str  # the list entry id, scheme or measure the notice is about
    created_at: dt.datetime
    effective_on: dt.date
    body: NoticeBody


def notice_id(subject: str, recipient: str, kind: str, ref: str, effective_on: dt.date) -> str:
    """The deterministic id of a notice: the same change always gets the same id."""
    key = "\x1f".join((subject, recipient, kind, ref, effective_on.isoformat()))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def make_notice(
    recipient: str, subject: str, ref: str, created_at: dt.datetime, body: NoticeBody
) -> Notice:
    return Notice(
        id=notice_id(subject, recipient, body.kind, ref, body.effective_on),
        subject=subject,
        recipient=recipient,
        kind=body.kind,
        ref=ref,
        created_at=created_at,
        effective_on=body.effective_on,
        body=body,
    )


def body_json(body: NoticeBody) -> str:
    return canonical_json(body.model_dump(mode="json"))


def create_notices(conn: Connection, items: Sequence[Notice], now: dt.datetime) -> list[Notice]:
    """Store the notices not stored yet (audited, queued in the outbox); return those created.

    Runs inside the caller's write transaction, so a notice exists exactly when
    the change it reports was committed."""
    fresh: dict[str, Notice] = {}
    for item in items:
        fresh.setdefault(item.id, item)
    if not fresh:
        return []
    for (known,) in select_in(conn, "notices", ("id",), "id", fresh):
        fresh.pop(known, None)
    if not fresh:
        return []
    created = sorted(fresh.values(), key=lambda n: (n.recipient, n.effective_on, n.id))
    at = db_datetime(conn, now)
    rows = []
    with AuditWriter(conn, now) as audit:
        for n in created:
            text = body_json(n.body)
            rows.append(
                (
                    n.id,
                    n.subject,
                    n.recipient,
                    n.kind,
                    n.ref,
                    at,
                    db_date(conn, n.effective_on),
                    text,
                )
            )
            audit.append(
                NOTICE_EVENT,
                n.id,
                {
                    "id": n.id,
                    "subject": n.subject,
                    "recipient": n.recipient,
                    "kind": n.kind,
                    "ref": n.ref,
                    "effective_on": n.effective_on.isoformat(),
                    "body_hash": hashlib.sha256(text.encode("utf-8")).hexdigest(),
                },
            )
        insert_rows(
            conn,
            "notices",
            ("id", "subject", "recipient", "kind", "ref", "created_at", "effective_on", "body"),
            rows,
        )
        insert_rows(
            conn,
            "outbox",
            ("notice", "channel", "attempts", "next_attempt_at", "delivered_at", "last_error"),
            [(n.id, FANOUT, 0, at, None, None) for n in created],
        )
    return [n.model_copy(update={"created_at": now}) for n in created]


def _notice(row: Row[Any]) -> Notice:
    body = NoticeBody.model_validate_json(row.body)
    return Notice(
        id=row.id,
        subject=row.subject,
        recipient=row.recipient,
        kind=body.kind,
        ref=row.ref,
        created_at=row.created_at,
        effective_on=row.effective_on,
        body=body,
    )


def notices_for(conn: Connection, subject: str) -> list[Notice]:
    """The notices about a subject or addressed to it, oldest first."""
    key = subject.strip().upper()
    rows = conn.execute(
        select(notices)
        .where(or_(notices.c.subject == key, notices.c.recipient == key))
        .order_by(notices.c.created_at, notices.c.effective_on, notices.c.id)
    )
    return [_notice(r) for r in rows]


def load_notices(conn: Connection, ids: Sequence[str]) -> dict[str, Notice]:
    """Notices by id."""
    if not ids:
        return {}
    out: dict[str, Notice] = {}
    for i in range(0, len(ids), 500):
        part = list(ids[i : i + 500])
        for row in conn.execute(select(notices).where(notices.c.id.in_(part))):
            out[row.id] = _notice(row)
    return out


def subject_notices(store: Store, subject: str) -> list[Notice]:
    """The notices about a subject or addressed to it (the identifier is validated)."""
    ident = parse(subject)
    with store.reader() as conn:
        return notices_for(conn, ident.value)
