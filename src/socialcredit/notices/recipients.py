"""Who receives a notice: the subject and, for an organisation, its legal representative.

The legal representative on a day is the person named by ``attributes.person``
of the organisation's latest effective ``registry.legal_representative``
record whose ``ended`` is absent or after that day (docs/engine.md step 13).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import Connection

from socialcredit.clock import day_of, naive_utc
from socialcredit.engine.ledger_view import load_many
from socialcredit.engine.model import LedgerRecord
from socialcredit.engine.records import effective_records
from socialcredit.policy.rules import ROLE_CATEGORIES

LEGAL_REPRESENTATIVE = "legal_representative"
_CATEGORY = ROLE_CATEGORIES[LEGAL_REPRESENTATIVE]
ORGANISATIONS = ("enterprise", "institution")


def legal_representative(conn: Connection, organisation: str, now: dt.datetime) -> str | None:
    """The person who represents the organisation on the day of ``now``, if recorded."""
    return legal_representatives(conn, [organisation], now)[organisation]


def legal_representatives(
    conn: Connection, organisations: Iterable[str], now: dt.datetime
) -> dict[str, str | None]:
    """:func:`legal_representative` of many organisations, with one query per 500."""
    now = naive_utc(now)
    day = day_of(now)
    wanted = sorted(set(organisations))
    loaded = load_many(conn, wanted, now, frozenset({_CATEGORY}))
    found = {who: recs for who, (_ref, recs) in loaded.items()}
    return {o: _representative(found[o], o, now, day) for o in wanted}


def _representative(
    found: list[LedgerRecord], organisation: str, now: dt.datetime, day: dt.date
) -> str | None:
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
    person = legal_representative(conn, subject, now) if kind in ORGANISATIONS else None
    return recipients_given(subject, person)


def recipients_given(subject: str, representative: str | None) -> list[tuple[str, str | None]]:
    """:func:`recipients` when the legal representative is already known."""
    out: list[tuple[str, str | None]] = [(subject, None)]
    if representative is not None and representative != subject:
        out.append((representative, LEGAL_REPRESENTATIVE))
    return out
