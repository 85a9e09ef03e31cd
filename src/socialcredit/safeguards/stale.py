"""The ``stale`` check: stored entries and index rows against a re-derivation for today.

Everything derived is a function of the ledger and the policy (DESIGN.md,
the one invariant). The ``list_entries`` table keeps each record-based
entry's dates (its status is derived for the day asked); ingestion and
``evaluate`` re-derive them (:mod:`socialcredit.services.rederive`). This
check re-derives the record-based entries of the subjects that can hold one
(:func:`socialcredit.enforcement.index.owners`) with the same function
(:func:`socialcredit.enforcement.entries.entries_for`), writing nothing, and
reports every entry live today on either side whose status or dates differ,
that is stored but no longer derived, or derived but not stored. Beyond
``limit`` subjects it checks an even sample (every n-th subject) and says so.
It also reports index rows in force today whose entry is no longer stored.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, select

from socialcredit.clock import day_of
from socialcredit.enforcement.entries import entries_for
from socialcredit.enforcement.index import owners, relevant_categories
from socialcredit.enforcement.model import ListEntry
from socialcredit.engine.ledger_view import load_many
from socialcredit.policy.policy_set import PolicySet
from socialcredit.safeguards.findings import Checked, found, passed
from socialcredit.store.tables import enforcement_index, list_entries

LIMIT = 20000  # subjects re-derived in full; beyond, an even sample of this many
CHUNK = 900
FIELDS = ("status", "pending_from", "effective_from", "end")


def check_stale(
    conn: Connection, now: dt.datetime, policy: PolicySet, limit: int = LIMIT
) -> tuple[list[Checked], str | None]:
    """The findings, and a note when only a sample of the subjects was re-derived."""
    day = day_of(now)
    record_lists = sorted(n for n, i in policy.lists.items() if i.definition.entry.categories)
    subjects = owners(conn, policy)
    note = None
    if len(subjects) > limit:
        step = -(-len(subjects) // limit)
        note = f"stale: re-derived every {step}th of {len(subjects)} subjects"
        subjects = subjects[::step]
    relevant = relevant_categories(policy)
    out: list[Checked] = []
    for i in range(0, len(subjects), CHUNK):
        part = subjects[i : i + CHUNK]
        stored: dict[str, dict[str, ListEntry]] = {}
        rows = conn.execute(
            select(list_entries.c.subject, list_entries.c.status_basis).where(
                list_entries.c.subject.in_(part), list_entries.c.list.in_(record_lists)
            )
        )
        for subject, text in rows:
            entry = ListEntry.load(text, day)
            stored.setdefault(subject, {})[entry.id] = entry
        for subject, records in load_many(conn, part, now, relevant).values():
            derived = {
                e.id: e
                for e in entries_for(policy, subject, records, now, now)
                if e.ground_record is not None
            }
            found_any = False
            mine = stored.get(subject.id, {})
            for entry_id in sorted(set(mine) | set(derived)):
                problem = _difference(mine.get(entry_id), derived.get(entry_id))
                if problem is not None:
                    out.append(found("stale", entry_id, subject.id, problem))
                    found_any = True
            if not found_any:
                out.append(passed("stale"))
    out.extend(_orphan_index_rows(conn, day))
    return out, note


def _live(entry: ListEntry | None) -> bool:
    return entry is not None and entry.status != "ended"


def _difference(stored: ListEntry | None, derived: ListEntry | None) -> str | None:
    if not _live(stored) and not _live(derived):
        return None
    if stored is None:
        assert derived is not None
        return f"the ledger gives an entry {derived.status} today that is not stored"
    if derived is None:
        return f"stored as {stored.status} today, but the ledger no longer gives it"
    diffs = [
        f"{name} stored {getattr(stored, name)}, derived {getattr(derived, name)}"
        for name in FIELDS
        if getattr(stored, name) != getattr(derived, name)
    ]
    return "; ".join(diffs) if diffs else None


def _orphan_index_rows(conn: Connection, day: dt.date) -> list[Checked]:
    """Index rows in force today for an entry the store no longer holds."""
    ix = enforcement_index.c
    rows = conn.execute(
        select(ix.entry, ix.owner)
        .where(
            ix.target != "marker",
            ix.valid_from <= day,
            ix.valid_to > day,
            ix.entry.not_in(select(list_entries.c.id)),
        )
        .distinct()
        .order_by(ix.entry)
    ).all()
    return [
        found(
            "stale",
            entry,
            owner,
            "the enforcement index applies measures of this entry today, but no such entry "
            "is stored",
        )
        for entry, owner in rows
    ]
