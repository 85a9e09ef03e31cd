"""Keeping list entries and the enforcement index current.

The index holds, per checked subject and action, the measures that reach it,
each with the dates it is in force: the listed subject's own entries, and an
organisation's entries for the persons holding a role the measure targets
(for the time they hold it). It is rebuilt for a listed subject ("owner") in
the same transaction as the record that changes its entries or its roles,
so the next check sees it.

Grade-based lists (a city's honour list) are published by evaluation runs,
not here: see :func:`publish_grade_lists`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, delete, func, or_, select

from socialcredit.clock import day_of
from socialcredit.enforcement.decide import roles_of
from socialcredit.enforcement.entries import entries_for, in_force
from socialcredit.enforcement.model import ListEntry
from socialcredit.engine.due_process import ENGINE_CATEGORIES
from socialcredit.engine.ledger_view import load_many
from socialcredit.engine.model import LedgerRecord
from socialcredit.engine.records import effective_records
from socialcredit.engine.scope import SCOPE_CATEGORIES, Scope, area_covered, scope_of
from socialcredit.policy.policy_set import PolicySet
from socialcredit.policy.rules import ROLE_CATEGORIES
from socialcredit.store.bulk import db_date, insert_rows
from socialcredit.store.tables import enforcement_index, list_entries
from socialcredit.store.tables import records as record_table

ROLE_TARGETS = ("legal_representative", "controller", "principal_manager", "directly_responsible")
INDEX_COLUMNS = (
    "id",
    "subject",
    "action",
    "effect",
    "measure",
    "entry",
    "owner",
    "target",
    "valid_from",
    "valid_to",
    "version",
)
_FAR = dt.date(9999, 12, 31)
_CHUNK = 500  # subjects a query names at once (SQLite binds at most 999 values)


ENTRY_COLUMNS = (
    "id",
    "list",
    "kind",
    "subject",
    "status_basis",
    "pending_from",
    "effective_from",
    "ends_on",
)
_NEVER = dt.date(1970, 1, 1)


def entry_values(conn: Connection, e: ListEntry) -> tuple[object, ...]:
    """A `list_entries` row for an entry, ready for the driver."""
    return (
        e.id,
        e.list,
        e.kind,
        e.subject,
        e.stored(),  # dates only: the status is derived for the day asked about
        db_date(conn, e.pending_from),
        db_date(conn, e.effective_from),
        db_date(conn, e.end),
    )


def index_values(conn: Connection, row_id: int, row: IndexRow, version: int) -> tuple[object, ...]:
    """An `enforcement_index` row, ready for the driver."""
    return (
        row_id,
        row.subject,
        row.action,
        row.effect,
        row.measure,
        row.entry,
        row.owner,
        row.target,
        db_date(conn, row.valid_from),
        db_date(conn, row.valid_to),
        version,
    )


def marker_values(conn: Connection, row_id: int, owner: str, version: int) -> tuple[object, ...]:
    """A row that never applies: it tells caches at ``version`` to drop what they hold
    for ``owner`` when no other row of the owner remains."""
    return (
        row_id,
        owner,
        "",
        "none",
        "",
        "",
        owner,
        "marker",
        db_date(conn, _NEVER),
        db_date(conn, _NEVER),
        version,
    )


@dataclass(frozen=True, slots=True)
class IndexRow:
    subject: str
    action: str
    effect: str
    measure: str
    entry: str
    owner: str
    target: str
    valid_from: dt.date
    valid_to: dt.date  # exclusive


def relevant_categories(policy: PolicySet) -> frozenset[str]:
    """Categories whose records can change a list entry, a role or where a subject is
    (remedy steps too: suspensions and repairs, docs/remedies.md)."""
    out = set(ROLE_CATEGORIES.values()) | ENGINE_CATEGORIES | SCOPE_CATEGORIES
    for info in policy.lists.values():
        d = info.definition
        if d.entry.categories:
            out.update(d.entry.categories)
        out.update(d.removal_categories)
    return frozenset(out)


def role_intervals(
    records: Sequence[LedgerRecord], now: dt.datetime
) -> list[tuple[str, str, dt.date, dt.date]]:
    """``(role, person, from, to)`` for an organisation's role records: the roles held
    between consecutive change days (a record's day or its `ended` day)."""
    days = set()
    role_records = [r for r in records if r.category in ROLE_CATEGORIES.values()]
    for r in role_records:
        days.add(r.occurred_at)
        ended = r.attributes.get("ended")
        if isinstance(ended, str):
            days.add(dt.date.fromisoformat(ended))
    if not days:
        return []
    ordered = sorted(days)
    spans: dict[tuple[str, str], list[list[dt.date]]] = {}
    for i, day in enumerate(ordered):
        until = ordered[i + 1] if i + 1 < len(ordered) else _FAR
        instant = dt.datetime.combine(day, dt.time(12)) - dt.timedelta(hours=8)
        people = {r.attributes.get("person") for r in role_records}
        for person in sorted(p for p in people if isinstance(p, str)):
            for role, _org in roles_of(person, role_records, instant, now):
                runs = spans.setdefault((role, person), [])
                if runs and runs[-1][1] == day:
                    runs[-1][1] = until
                else:
                    runs.append([day, until])
    return [(role, person, a, b) for (role, person), runs in sorted(spans.items()) for a, b in runs]


def index_rows(
    policy: PolicySet,
    entries: Sequence[ListEntry],
    place: Scope,
    roles: Sequence[tuple[str, str, dt.date, dt.date]],
) -> list[IndexRow]:
    """The index rows of a subject's entries: one per measure the entry triggers whose
    pack's jurisdiction covers the subject's ``place`` (its registry records)."""
    rows: list[IndexRow] = []
    for entry in entries:
        # one row per period in force: suspensions split an entry (docs/remedies.md)
        for period_from, period_to in in_force(entry):
            rows.extend(_rows(policy, entry, place, roles, period_from, period_to))
    return rows


def _rows(
    policy: PolicySet,
    entry: ListEntry,
    place: Scope,
    roles: Sequence[tuple[str, str, dt.date, dt.date]],
    period_from: dt.date,
    period_to: dt.date,
) -> list[IndexRow]:
    rows: list[IndexRow] = []
    for info in policy.measures.values():
        m = info.definition
        if entry.list not in m.lists or not area_covered(info.jurisdiction, place):
            continue
        for action in m.actions:
            if "subject" in m.targets:
                rows.append(
                    IndexRow(
                        entry.subject,
                        action,
                        m.effect,
                        m.name,
                        entry.id,
                        entry.subject,
                        "subject",
                        period_from,
                        period_to,
                    )
                )
            for role, person, start, end in roles:
                if role not in m.targets:
                    continue
                lo, hi = max(start, period_from), min(end, period_to)
                if lo < hi:
                    rows.append(
                        IndexRow(
                            person,
                            action,
                            m.effect,
                            m.name,
                            entry.id,
                            entry.subject,
                            role,
                            lo,
                            hi,
                        )
                    )
    return rows


def refresh_owners(
    conn: Connection, policy: PolicySet, owners: Iterable[str], now: dt.datetime
) -> int:
    """Recompute the list entries and index rows of these subjects; return rows written."""
    owners = sorted(set(owners))
    if not owners:
        return 0
    version = int(conn.execute(select(func.max(enforcement_index.c.version))).scalar() or 0) + 1
    next_id = int(conn.execute(select(func.max(enforcement_index.c.id))).scalar() or 0)
    entry_rows: list[tuple[object, ...]] = []
    rows: list[IndexRow] = []
    relevant = relevant_categories(policy)
    # the owners' own records only: role holders are found from the organisation's side
    loaded = load_many(conn, owners, now, relevant)
    for subject, records in loaded.values():
        entries = [
            e
            for e in entries_for(policy, subject, records, now, now)
            if e.ground_record is not None
        ]
        entry_rows.extend(entry_values(conn, e) for e in entries)
        roles = role_intervals(records, now) if subject.kind != "person" else []
        day = day_of(now)
        place = scope_of(subject.kind, effective_records(records, now, day, subject.id), day)
        rows.extend(index_rows(policy, entries, place, roles))
    record_lists = [n for n, i in policy.lists.items() if i.definition.entry.categories]
    conn.execute(
        delete(list_entries).where(
            list_entries.c.subject.in_(owners), list_entries.c.list.in_(record_lists)
        )
    )
    ours = [enforcement_index.c.entry.like(f"{name}:%") for name in record_lists]
    conn.execute(
        delete(enforcement_index).where(
            enforcement_index.c.owner.in_(owners),
            or_(enforcement_index.c.target == "marker", *ours),
        )
    )
    insert_rows(conn, "list_entries", ENTRY_COLUMNS, entry_rows)
    out = []
    for row in rows:
        next_id += 1
        out.append(index_values(conn, next_id, row, version))
    # an owner whose rows all went away still needs a marker so caches drop them
    marked = {row.owner for row in rows}
    for owner in owners:
        if owner not in marked:
            next_id += 1
            out.append(marker_values(conn, next_id, owner, version))
    insert_rows(conn, "enforcement_index", INDEX_COLUMNS, out)
    return len(rows)


def owners_touched(policy: PolicySet, records: Iterable[tuple[str, str, bool]]) -> set[str]:
    """Subjects whose entries or roles a batch of (subject, category, is_correction) may change."""
    relevant = relevant_categories(policy)
    return {s for s, category, correction in records if correction or category in relevant}


def today(now: dt.datetime) -> dt.date:
    return day_of(now)


def list_categories(policy: PolicySet) -> list[str]:
    """The categories a record-based list enters on or is ended by."""
    return sorted(
        {
            c
            for info in policy.lists.values()
            for c in (*info.definition.entry.categories, *info.definition.removal_categories)
        }
    )


def owners(conn: Connection, policy: PolicySet) -> list[str]:
    """Every subject with a record a record-based list enters on or is ended by, and every
    holder of such an entry (role and due-process records change only the entries of
    subjects that have such records)."""
    wanted = list_categories(policy)
    found = {
        r[0]
        for r in conn.execute(
            select(record_table.c.subject).where(record_table.c.category.in_(wanted))
        )
    }
    record_lists = [n for n, i in policy.lists.items() if i.definition.entry.categories]
    found.update(
        r[0]
        for r in conn.execute(
            select(list_entries.c.subject).where(list_entries.c.list.in_(record_lists))
        )
    )
    return sorted(found)


def owners_among(conn: Connection, policy: PolicySet, candidates: Iterable[str]) -> set[str]:
    """The :func:`owners` among ``candidates``: the others have no record-based entry and
    can get none from what they hold (no record a list enters on or is ended by, in any
    version), so re-deriving them would change nothing. A batch touches every subject
    whose registration it brings; only those with such records are read again."""
    keys = sorted(set(candidates))
    if not keys:
        return set()
    wanted = list_categories(policy)
    record_lists = [n for n, i in policy.lists.items() if i.definition.entry.categories]
    found: set[str] = set()
    for i in range(0, len(keys), _CHUNK):
        part = keys[i : i + _CHUNK]
        found.update(
            r[0]
            for r in conn.execute(
                select(record_table.c.subject)
                .where(record_table.c.subject.in_(part), record_table.c.category.in_(wanted))
                .distinct()
            )
        )
        found.update(
            r[0]
            for r in conn.execute(
                select(list_entries.c.subject)
                .where(list_entries.c.subject.in_(part), list_entries.c.list.in_(record_lists))
                .distinct()
            )
        )
    return found
