"""Publishing grade-based lists (a city's honour list) after an evaluation run.

A grade-based entry holds while the subject's grade is one the list names;
grades are computed by evaluation runs, so the entries are republished with
each run, valid from the run's day for ``GRADE_LIST_DAYS`` days or until the
next run replaces them. Their index rows are written like any other, so
checks (and discounts at the utility's counter) see them at once. A black list
takes no one whose grade qualifies only by a record linked to them by entity
resolution that no reviewer has confirmed (:mod:`socialcredit.engine.links`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Row, delete, func, select

from socialcredit.clock import CHINA
from socialcredit.enforcement.entries import applies
from socialcredit.enforcement.index import (
    ENTRY_COLUMNS,
    INDEX_COLUMNS,
    entry_values,
    index_rows,
    index_values,
    marker_values,
)
from socialcredit.enforcement.model import ListEntry
from socialcredit.engine.incremental import evaluate_subject
from socialcredit.engine.ledger_view import load_many, load_subject
from socialcredit.engine.links import LINKED, unconfirmed
from socialcredit.engine.records import effective_records
from socialcredit.engine.scope import NOWHERE, SCOPE_CATEGORIES, Scope, scope_of
from socialcredit.identifiers import parse
from socialcredit.policy.policy_set import PolicySet
from socialcredit.store.bulk import insert_rows
from socialcredit.store.tables import assessments, enforcement_index, list_entries, records

GRADE_LIST_DAYS = 31  # held until the next (monthly) evaluation at the latest


def publish_grade_lists(conn: Connection, policy: PolicySet, day: dt.date) -> dict[str, int]:
    """Replace every grade-based list with the subjects whose current grade qualifies."""
    counts: dict[str, int] = {}
    graded = {n: i for n, i in policy.lists.items() if i.definition.entry.grade is not None}
    if not graded:
        return counts
    names = sorted(graded)
    before = {
        r.subject
        for r in conn.execute(select(list_entries.c.subject).where(list_entries.c.list.in_(names)))
    }
    conn.execute(delete(list_entries).where(list_entries.c.list.in_(names)))
    for name in names:
        conn.execute(delete(enforcement_index).where(enforcement_index.c.entry.like(f"{name}:%")))
    version = int(conn.execute(select(func.max(enforcement_index.c.version))).scalar() or 0) + 1
    next_id = int(conn.execute(select(func.max(enforcement_index.c.id))).scalar() or 0)
    until = day + dt.timedelta(days=GRADE_LIST_DAYS)
    entry_rows, index_out = [], []
    for name in names:
        info = graded[name]
        rule = info.definition.entry.grade
        assert rule is not None
        rows = conn.execute(
            select(assessments.c.subject, assessments.c.grade).where(
                assessments.c.scheme == rule.scheme, assessments.c.grade.in_(list(rule.grades))
            )
        ).all()
        n = 0
        places = _places(conn, [r.subject for r in rows], day)
        if info.definition.kind == "black":  # a punishment: not on an unconfirmed link
            rows = _without_unconfirmed(conn, policy, rows, rule.scheme, set(rule.grades), day)
        for row in rows:
            ident = parse(row.subject)
            place = places.get(ident.value, NOWHERE)
            if not applies(info, ident.kind, place):
                continue
            key = f"{rule.scheme}:{row.grade}"
            entry = ListEntry(
                id=f"{name}:{row.subject}:{key}",
                list=name,
                kind=info.definition.kind,
                subject=row.subject,
                act_key=key,
                ground_record=None,
                authority=info.definition.authority,
                legal_basis=info.definition.basis_text,
                pending_from=day,
                effective_from=day,
                ends_at=until,
                end=until,
                status="active",
                pack=info.pack,
            )
            entry_rows.append(entry_values(conn, entry))
            for r in index_rows(policy, [entry], place, []):
                next_id += 1
                index_out.append(index_values(conn, next_id, r, version))
            n += 1
        counts[name] = n
    # a subject no longer on a list still needs a row at the new version, so that
    # caches drop what they held for it
    now_listed = {row[3] for row in entry_rows}
    for owner in sorted(before - now_listed):
        next_id += 1
        index_out.append(marker_values(conn, next_id, owner, version))
    insert_rows(conn, "list_entries", ENTRY_COLUMNS, entry_rows)
    insert_rows(conn, "enforcement_index", INDEX_COLUMNS, index_out)
    return counts


def _without_unconfirmed(
    conn: Connection,
    policy: PolicySet,
    rows: Sequence[Row[Any, Any]],
    scheme: str,
    grades: set[str],
    day: dt.date,
) -> list[Row[Any, Any]]:
    """The rows whose grade qualifies without the records linked to the subject by
    entity resolution and not yet confirmed by a reviewer (engine/links.py): a grade
    such a record lowered puts no one on a black list, so triggers no measure."""
    subjects = [r.subject for r in rows]
    linked = {
        s
        for (s,) in conn.execute(
            select(records.c.subject)
            .where(records.c.category == LINKED, records.c.subject.in_(subjects))
            .distinct()
        )
    }
    if not linked:
        return list(rows)
    at = dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=CHINA)
    kept = []
    for row in rows:
        if row.subject not in linked:
            kept.append(row)
            continue
        subject, own, roles = load_subject(conn, row.subject, at, policy=policy)
        unsure = unconfirmed(own)
        if not unsure:
            kept.append(row)
            continue
        sure = [r for r in own if r.id not in unsure]
        again = evaluate_subject(policy, subject, sure, at, at, roles, explain=False)
        scored = again.schemes.get(scheme)
        if scored is not None and scored.grade in grades:
            kept.append(row)
    return kept


def _places(conn: Connection, subjects: list[str], day: dt.date) -> dict[str, Scope]:
    """Where each graded subject is at the end of ``day`` by its registry records."""
    if not subjects:
        return {}
    at = dt.datetime.combine(day, dt.time(15, 59, 59))  # 23:59:59 in China, as UTC
    loaded = load_many(conn, sorted(set(subjects)), at, SCOPE_CATEGORIES)
    return {
        sid: scope_of(ref.kind, effective_records(recs, at, day, sid), day)
        for sid, (ref, recs) in loaded.items()
    }
