"""Loading what the entry checks need, in bulk: live entries and their facts.

Live entries are those pending or in force today (``pending_from <= today <
ends_on``), read in pages of ``CHUNK`` with their status derived for today.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from sqlalchemy import Connection, select

from socialcredit.clock import day_of
from socialcredit.enforcement.model import ListEntry
from socialcredit.policy.policy_set import PolicySet
from socialcredit.safeguards.delivery import first_deliveries
from socialcredit.safeguards.entries import EntryFacts, GroundRecord
from socialcredit.store.bulk import select_in, stored_day, stored_instant
from socialcredit.store.tables import list_entries

CHUNK = 2000


def live_entries(conn: Connection, day: dt.date, kind: str = "black") -> Iterator[list[ListEntry]]:
    """Pending and in-force entries of one kind of list, in pages of ``CHUNK`` (keyset on id)."""
    c = list_entries.c
    after = ""
    while True:
        rows = conn.execute(
            select(c.id, c.status_basis)
            .where(c.kind == kind, c.pending_from <= day, c.ends_on > day, c.id > after)
            .order_by(c.id)
            .limit(CHUNK)
        ).all()
        if not rows:
            return
        after = rows[-1].id
        yield [ListEntry.load(r.status_basis, day) for r in rows]


def entry_facts(
    conn: Connection,
    entries: list[ListEntry],
    now: dt.datetime,
    policy: PolicySet,
    authorised: dict[str, frozenset[str]],
) -> EntryFacts:
    ground_ids = {e.ground_record for e in entries if e.ground_record}
    replaced = {
        r[0]
        for r in select_in(conn, "records", ("supersedes", "recorded_at"), "supersedes", ground_ids)
        if stored_instant(r[1]) <= now
    }
    grounds = {
        r[0]: GroundRecord(r[0], r[1], r[2], stored_day(r[3]), r[0] in replaced, bool(r[4]))
        for r in select_in(
            conn,
            "records",
            ("id", "provider", "category", "occurred_at", "withdrawn", "recorded_at"),
            "id",
            ground_ids,
        )
        if stored_instant(r[5]) <= now
    }
    notices: dict[str, list[tuple[str, str, dt.date, dt.datetime]]] = {}
    notice_ids: dict[str, list[tuple[str, str, str, dt.date]]] = {}
    for notice, ref, kind, recipient, effective_on, created_at in select_in(
        conn,
        "notices",
        ("id", "ref", "kind", "recipient", "effective_on", "created_at"),
        "ref",
        {e.id for e in entries},
    ):
        notices.setdefault(ref, []).append(
            (kind, recipient, stored_day(effective_on), stored_instant(created_at))
        )
        notice_ids.setdefault(ref, []).append((notice, kind, recipient, stored_day(effective_on)))
    delivered = first_deliveries(conn, {n for found in notice_ids.values() for n, *_rest in found})
    graded = [e for e in entries if e.ground_record is None]
    grades, grade_notices = _grades(conn, {e.subject for e in graded}) if graded else ({}, {})
    return EntryFacts(
        policy,
        day_of(now),
        grounds,
        notices,
        authorised,
        grades,
        grade_notices,
        notice_ids,
        delivered,
    )


def _grades(
    conn: Connection, subjects: set[str]
) -> tuple[dict[tuple[str, str], str | None], dict[tuple[str, str], list[dt.datetime]]]:
    """Current grades of these subjects, and their grade_low notices, by (subject, scheme)."""
    grades = {
        (r[0], r[1]): r[2]
        for r in select_in(conn, "assessments", ("subject", "scheme", "grade"), "subject", subjects)
    }
    found: dict[tuple[str, str], list[dt.datetime]] = {}
    for subject, kind, ref, created_at in select_in(
        conn, "notices", ("subject", "kind", "ref", "created_at"), "subject", subjects
    ):
        if kind == "grade_low":
            scheme = str(ref).rsplit(":", 1)[0]
            found.setdefault((subject, scheme), []).append(stored_instant(created_at))
    return grades, found
