"""Notices at ingestion: compare a subject's list entries before and after a record.

The enforcement hook (:mod:`socialcredit.services.ingest`) takes a
:func:`snapshot` of the owners' list entries and role index rows, rebuilds
them, and calls :func:`notify_changes` in the same transaction, so a notice
exists exactly when the change it reports was committed.

What counts as a change, on the day ``d`` of ingestion:

* a new entry, or one whose dates moved (a correction): a black entry is
  ``listing_pending`` before ``effective_from``, ``listing_effective`` from
  then on; a red entry in force is ``red_listing``. An entry that began and
  ended before the platform learnt of it is not notified (it was never in
  force here).
* an entry whose end moved to ``d`` or before (a removal record, a repair):
  ``listing_ended``; an entry that disappeared (its ground corrected,
  withdrawn or suspended) while it was not over yet: ``listing_ended`` on ``d``.
* an entry in force again after it had ended (its removal record withdrawn)
  or after an earlier ``listing_ended`` notice (its ground no longer
  suspended): ``listing_effective`` / ``red_listing`` taking effect on ``d``.
* a new role index row in force on ``d`` (a person became legal
  representative of a listed organisation, or the organisation's entry took
  effect at once): ``measure_applies`` to that person. Rows starting later
  are notified by the sweep when their day comes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from socialcredit.clock import day_of, naive_utc
from socialcredit.enforcement.model import ListEntry
from socialcredit.notices.build import (
    EntryChange,
    RoleRow,
    context,
    entry_notices,
    entry_record_ids,
    role_notices,
)
from socialcredit.notices.model import Notice, NoticeKind, create_notices
from socialcredit.policy.policy_set import PolicySet
from socialcredit.store.bulk import select_in, stored_day, stored_instant
from socialcredit.store.tables import enforcement_index, list_entries, notices

NOT_ROLES = ("subject", "marker")


@dataclass(frozen=True)
class Snapshot:
    owners: tuple[str, ...]
    entries: dict[str, ListEntry]
    roles: frozenset[RoleRow]


def snapshot(conn: Connection, owners: Iterable[str], day: dt.date) -> Snapshot:
    """The owners' list entries (their status on ``day``) and the role index rows their
    entries produce."""
    keys = tuple(sorted(set(owners)))
    entries: dict[str, ListEntry] = {}
    roles: set[RoleRow] = set()
    for i in range(0, len(keys), 500):
        part = list(keys[i : i + 500])
        for row in conn.execute(
            select(list_entries.c.status_basis).where(list_entries.c.subject.in_(part))
        ):
            entry = ListEntry.load(row.status_basis, day)
            entries[entry.id] = entry
        stmt = select(
            enforcement_index.c.subject,
            enforcement_index.c.measure,
            enforcement_index.c.entry,
            enforcement_index.c.owner,
            enforcement_index.c.target,
            enforcement_index.c.valid_from,
            enforcement_index.c.valid_to,
        ).where(enforcement_index.c.owner.in_(part), enforcement_index.c.target.not_in(NOT_ROLES))
        roles.update(RoleRow(*_dates(r)) for r in conn.execute(stmt))
    return Snapshot(keys, entries, frozenset(roles))


def _dates(row: Sequence[Any]) -> tuple[Any, ...]:
    values = tuple(row)
    return (*values[:5], stored_day(values[5]), stored_day(values[6]))


def _ended_reason(entry: ListEntry) -> str:
    if entry.removed_by is not None:
        return f"removed by record {entry.removed_by}"
    return "its term is over"


def entry_changes(old: ListEntry | None, new: ListEntry, day: dt.date) -> list[EntryChange]:
    """What to notify about one entry that exists after the change."""
    out: list[EntryChange] = []
    moved = old is None or (old.pending_from, old.effective_from) != (
        new.pending_from,
        new.effective_from,
    )
    if moved and day < new.end:
        if new.kind == "black":
            pending = day < new.effective_from
            out.append(EntryChange("listing_pending" if pending else "listing_effective", new))
        elif new.effective_from <= day:
            out.append(EntryChange("red_listing", new))
    if old is not None and old.end != new.end and new.end <= day:
        out.append(EntryChange("listing_ended", new, _ended_reason(new)))
    if old is not None and not moved and old.end <= day < new.end and new.effective_from <= day:
        out.append(EntryChange(_in_force(new), new, reinstated=day))  # e.g. removal withdrawn
    return out


def _in_force(entry: ListEntry) -> NoticeKind:
    return "listing_effective" if entry.kind == "black" else "red_listing"


def reinstatements(
    conn: Connection, changes: list[EntryChange], before: Snapshot, day: dt.date
) -> list[EntryChange]:
    """Entries that reappear in force after an earlier ``listing_ended`` notice (their
    ground was suspended, say): notified again, taking effect today."""
    fresh = {
        c.entry.id: c
        for c in changes
        if c.entry.id not in before.entries and c.kind in ("listing_effective", "red_listing")
    }
    if not fresh:
        return changes
    ended = {
        r.ref
        for r in conn.execute(
            select(notices.c.ref, notices.c.effective_on).where(
                notices.c.ref.in_(sorted(fresh)), notices.c.kind == "listing_ended"
            )
        )
        if stored_day(r.effective_on) >= fresh[r.ref].entry.pending_from
    }
    return [
        EntryChange(c.kind, c.entry, c.reason, day)
        if c.entry.id in ended and fresh.get(c.entry.id) is c
        else c
        for c in changes
    ]


GONE = "its ground record no longer counts (corrected, withdrawn or suspended)"


def changes_between(
    before: Snapshot, after: Snapshot, day: dt.date, why_gone: Mapping[str, str] | None = None
) -> list[EntryChange]:
    """The entry changes from ``before`` to ``after``; ``why_gone`` says, by ground record,
    why an entry that disappeared no longer holds."""
    out: list[EntryChange] = []
    for entry_id, new in sorted(after.entries.items()):
        out.extend(entry_changes(before.entries.get(entry_id), new, day))
    for entry_id, old in sorted(before.entries.items()):
        if entry_id not in after.entries and old.end > day and old.pending_from <= day:
            gone = old.model_copy(update={"end": day, "status": "ended"})
            why = (why_gone or {}).get(old.ground_record or "", GONE)
            out.append(EntryChange("listing_ended", gone, why))
    return out


def why_gone(
    conn: Connection, before: Snapshot, after: Snapshot, now: dt.datetime
) -> dict[str, str]:
    """Why entries that disappeared no longer hold, by ground record: the provider
    withdrew or corrected it (the listing ends at once, the day it is recorded), or,
    when nothing supersedes it, it is suspended by an objection or an appeal."""
    grounds = {
        e.ground_record
        for i, e in before.entries.items()
        if i not in after.entries and e.ground_record is not None
    }
    if not grounds:
        return {}
    out = {
        g: "its ground record is suspended while an objection or appeal is pending" for g in grounds
    }
    rows = select_in(
        conn,
        "records",
        ("id", "supersedes", "provider", "withdrawn", "recorded_at", "category"),
        "supersedes",
        grounds,
    )
    for rid, target, provider, withdrawn, recorded_at, category in rows:
        if stored_instant(recorded_at) > naive_utc(now):
            continue
        if withdrawn:
            out[target] = (
                f"its ground record {target} was withdrawn by {provider} (record {rid}): the "
                "listing ends at once"
            )
        else:
            out[target] = (
                f"its ground record {target} was corrected by {provider} (record {rid}, "
                f"{category}) and no longer meets the entry criteria: the listing ends at once"
            )
    return out


def notify_changes(
    conn: Connection, policy: PolicySet, before: Snapshot, now: dt.datetime
) -> list[Notice]:
    """Create the notices for what changed since ``before``; return those created."""
    if not before.owners:
        return []
    day = day_of(now)
    after = snapshot(conn, before.owners, day)
    gone = why_gone(conn, before, after, now)
    changes = reinstatements(conn, changes_between(before, after, day, gone), before, day)
    new_roles = [r for r in after.roles - before.roles if r.valid_from <= day < r.valid_to]
    if not changes and not new_roles:
        return []
    entries = list(after.entries.values())
    ids = entry_record_ids([c.entry for c in changes] + entries)
    ctx = context(conn, policy, now, ids, {c.entry.subject for c in changes})
    made = entry_notices(conn, ctx, changes)
    made.extend(role_notices(ctx, new_roles, after.entries))
    return create_notices(conn, made, now)
