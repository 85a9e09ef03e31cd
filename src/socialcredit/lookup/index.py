"""The index of subjects' registered names (table ``search_index``).

A subject's name is the ``name`` of its latest current registration record
(``registry.person``, ``registry.enterprise`` or ``registry.institution``):
not withdrawn, not replaced by a correction, the latest by the day it took
effect and then by ledger order. A subject whose registrations were all
withdrawn leaves the index.

``refresh_in`` runs in ingestion's write transaction for the subjects whose
registrations a batch brought (``services/ingest.py``), so a new enterprise
is found at once; ``rebuild`` recomputes the whole index from the ledger.
Rows are only written where the name or kind changed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sqlalchemy import Connection

from socialcredit.ledger.record import Record
from socialcredit.lookup.text import forms
from socialcredit.store.bulk import insert_rows, stored_day
from socialcredit.store.database import Store

# the registration categories that name a subject, and the kind of subject each names
NAME_CATEGORIES: dict[str, str] = {
    "registry.person": "person",
    "registry.enterprise": "enterprise",
    "registry.institution": "institution",
}
COLUMNS = ("subject", "kind", "name", "simple", "pinyin", "initials")
_CHUNK = 900


@dataclass(frozen=True, slots=True)
class Refreshed:
    """What a refresh changed: rows written (new or renamed) and rows removed."""

    written: int
    removed: int


def refresh(store: Store, subjects: Iterable[str] | None = None) -> Refreshed:
    """Recompute the index rows of ``subjects`` (all subjects when None), in one write
    transaction."""
    with store.writer() as conn:
        if subjects is None:
            return rebuild_in(conn)
        return refresh_in(conn, subjects)


def rebuild(store: Store) -> Refreshed:
    return refresh(store, None)


def refresh_in(conn: Connection, subjects: Iterable[str]) -> Refreshed:
    """Recompute the rows of ``subjects`` in ``conn``'s transaction."""
    wanted = sorted(set(subjects))
    if not wanted:
        return Refreshed(0, 0)
    names: dict[str, tuple[str, str]] = {}
    for chunk in _chunks(wanted):
        names.update(_current_names(conn, _name_records(conn, chunk)))
    existing: dict[str, tuple[str, str]] = {}
    for chunk in _chunks(wanted):
        existing.update(_indexed(conn, chunk))
    return _apply(conn, names, existing)


def rebuild_in(conn: Connection) -> Refreshed:
    """Recompute every row in ``conn``'s transaction."""
    names = _current_names(conn, _name_records(conn, None))
    existing = _indexed(conn, None)
    return _apply(conn, names, existing)


def subjects_named(records: Iterable[tuple[str, str, bool]]) -> set[str]:
    """The subjects among ``(subject, category, corrects)`` whose name may have changed:
    a registration, or a correction or withdrawal (of any record: it may replace one)."""
    return {s for s, category, corrects in records if corrects or category in NAME_CATEGORIES}


def registered_forms(records: list[Record]) -> list[tuple[str, tuple[str, str, str]]]:
    """The forms of the names these records register, as :func:`refresh_in` will index
    them: computed where ingestion validates the records (its worker processes), and
    handed to :func:`socialcredit.lookup.text.remember` in the process that writes."""
    out = []
    for rec in records:
        if rec.category not in NAME_CATEGORIES:
            continue
        name = json.loads(rec.attributes).get("name")
        if isinstance(name, str) and name.strip():
            f = forms(name.strip())
            out.append((name.strip(), (f.simple, f.pinyin, f.initials)))
    return out


# -- reading the ledger ---------------------------------------------------------------


def _categories_sql(conn: Connection) -> tuple[str, list[str]]:
    mark = _mark(conn)
    cats = sorted(NAME_CATEGORIES)
    # corrections and withdrawals too, whatever their category: they replace registrations
    return f"(category IN ({', '.join([mark] * len(cats))}) OR supersedes IS NOT NULL)", cats


def _name_records(conn: Connection, subjects: list[str] | None) -> list[tuple[object, ...]]:
    """(subject, category, occurred_at, seq, id, supersedes, withdrawn, attributes) of the
    registrations of ``subjects`` (all when None) and of the records replacing any."""
    where, params = _categories_sql(conn)
    sql = (
        "SELECT subject, category, occurred_at, seq, id, supersedes, withdrawn, attributes "
        f"FROM records WHERE {where}"
    )
    args: list[object] = list(params)
    if subjects is not None:
        sql += f" AND subject IN ({', '.join([_mark(conn)] * len(subjects))})"
        args.extend(subjects)
    return [tuple(r) for r in conn.exec_driver_sql(sql, tuple(args)).fetchall()]


def _current_names(conn: Connection, rows: list[tuple[object, ...]]) -> dict[str, tuple[str, str]]:
    """subject -> (kind, name) from its latest current registration."""
    replaced = {str(r[5]) for r in rows if r[5] is not None}
    best: dict[str, tuple[object, ...]] = {}
    for row in rows:
        if row[6] or str(row[4]) in replaced or str(row[1]) not in NAME_CATEGORIES:
            continue
        subject = str(row[0])
        held = best.get(subject)
        if held is None or _order(row) > _order(held):
            best[subject] = row
    out: dict[str, tuple[str, str]] = {}
    for subject, row in best.items():
        name = json.loads(str(row[7])).get("name")
        if isinstance(name, str) and name.strip():
            out[subject] = (NAME_CATEGORIES[str(row[1])], name.strip())
    return out


def _order(row: tuple[object, ...]) -> tuple[object, int]:
    return stored_day(row[2]), int(str(row[3]))


# -- writing the index ----------------------------------------------------------------


def _indexed(conn: Connection, subjects: list[str] | None) -> dict[str, tuple[str, str]]:
    sql = "SELECT subject, kind, name FROM search_index"
    args: tuple[object, ...] = ()
    if subjects is not None:
        sql += f" WHERE subject IN ({', '.join([_mark(conn)] * len(subjects))})"
        args = tuple(subjects)
    return {str(s): (str(k), str(n)) for s, k, n in conn.exec_driver_sql(sql, args)}


def _apply(
    conn: Connection, names: dict[str, tuple[str, str]], existing: dict[str, tuple[str, str]]
) -> Refreshed:
    stale = sorted(s for s, row in existing.items() if names.get(s) != row)
    fresh = sorted(s for s, row in names.items() if existing.get(s) != row)
    for chunk in _chunks(stale):
        conn.exec_driver_sql(
            f"DELETE FROM search_index WHERE subject IN ({', '.join([_mark(conn)] * len(chunk))})",
            tuple(chunk),
        )
    rows = []
    for subject in fresh:
        kind, name = names[subject]
        f = forms(name)
        rows.append((subject, kind, name, f.simple, f.pinyin, f.initials))
    insert_rows(conn, "search_index", COLUMNS, rows)
    return Refreshed(written=len(fresh), removed=len(set(stale) - set(fresh)))


def _chunks(items: list[str]) -> Iterator[list[str]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i : i + _CHUNK]


def _mark(conn: Connection) -> str:
    return "?" if conn.dialect.name == "sqlite" else "%s"
