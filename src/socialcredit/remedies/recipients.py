"""Who receives a notice: the subject and, for an organisation, its legal representative.

The legal representative on a day is the person named by ``attributes.person``
of the organisation's latest effective ``registry.legal_representative``
record whose ``ended`` is absent or after that day (docs/engine.md step 13).
"""

from __future__ import annotations

import datetime as dt

import orjson
from sqlalchemy import Connection, or_, select

from socialcredit.engine.incremental import day_of, effective_records, naive_utc
from socialcredit.engine.model import LedgerRecord
from socialcredit.ledger.tables import records
from socialcredit.policy.rules import ROLE_CATEGORIES

LEGAL_REPRESENTATIVE = "legal_representative"
_CATEGORY = ROLE_CATEGORIES[LEGAL_REPRESENTATIVE]
ORGANISATIONS = ("enterprise", "institution")


def legal_representative(conn: Connection, organisation: str, now: dt.datetime) -> str | None:
    """The person who represents the organisation on the day of ``now``, if recorded."""
    now = naive_utc(now)
    day = day_of(now)
    rows = conn.execute(
        select(
            records.c.seq,
            records.c.id,
            records.c.provider,
            records.c.subject,
            records.c.category,
            records.c.occurred_at,
            records.c.recorded_at,
            records.c.attributes,
            records.c.supersedes,
            records.c.withdrawn,
        )
        .where(
            records.c.subject == organisation,
            records.c.recorded_at <= now,
            or_(records.c.category == _CATEGORY, records.c.supersedes.is_not(None)),
        )
        .order_by(records.c.seq)
    )
    found = [
        LedgerRecord(
            seq=int(r.seq),
            id=r.id,
            provider=r.provider,
            subject=r.subject,
            category=r.category,
            occurred_at=r.occurred_at,
            recorded_at=r.recorded_at,
            attributes=orjson.loads(r.attributes),
            supersedes=r.supersedes,
            withdrawn=bool(r.withdrawn),
        )
        for r in rows
    ]
    iso_day = day.isoformat()
    current = [
        r
        for r in effective_records(found, now, day, organisation)
        if r.category == _CATEGORY
        and (r.attributes.get("ended") is None or str(r.attributes.get("ended")) > iso_day)
    ]
    if not current:
        return None
    person = max(current, key=lambda r: (r.occurred_at, r.seq)).attributes.get("person")
    return person if isinstance(person, str) else None


def recipients(
    conn: Connection, subject: str, kind: str, now: dt.datetime
) -> list[tuple[str, str | None]]:
    """``(recipient, role)`` pairs: the subject itself (role None), then for an
    organisation its legal representative (role ``legal_representative``)."""
    out: list[tuple[str, str | None]] = [(subject, None)]
    if kind in ORGANISATIONS:
        person = legal_representative(conn, subject, now)
        if person is not None and person != subject:
            out.append((person, LEGAL_REPRESENTATIVE))
    return out
