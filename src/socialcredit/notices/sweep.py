"""The notice sweep: changes that time brings, and grade changes between evaluation runs.

:func:`generate_due` is safe to run at any time and any number of times
(notice ids are deterministic). It covers the days since the previous sweep
(kept in ``notice_state``):

* entries whose ``effective_from`` arrived: ``listing_effective`` (black) or
  ``red_listing`` (red); on the first sweep, every entry in force today;
* entries whose end arrived: ``listing_ended``; on the first sweep, those
  that ended in the last ``FIRST_SWEEP_DAYS`` days (entries of grade-based
  lists, republished with every evaluation run, are left to the grade
  notices below);
* role index rows whose first day arrived: ``measure_applies`` to the person;
* grades: the latest evaluation run's grades against the grade last
  notified per (subject, scheme) (``notified_grades``; the ``assessments``
  table holds only the latest run). A grade falling into the two lowest
  bands of its scheme (or further down within them) is ``grade_low``; a
  grade rising into the top band from a known lower grade is ``grade_top``.
  A subject seen for the first time is notified only of a low grade.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Connection, Row, and_, delete, select

from socialcredit.clock import day_of, naive_utc
from socialcredit.enforcement.model import ListEntry
from socialcredit.engine.ledger_view import assess
from socialcredit.errors import NotFound
from socialcredit.ledger.policy_store import policy_at
from socialcredit.notices.build import (
    EntryChange,
    RoleRow,
    context,
    entry_notices,
    entry_record_ids,
    role_notices,
    subject_refs,
)
from socialcredit.notices.changes import NOT_ROLES
from socialcredit.notices.compose_grades import grade_body
from socialcredit.notices.model import Notice, NoticeKind, create_notices, make_notice
from socialcredit.notices.recipients import recipients
from socialcredit.policy.policy_set import PolicySet
from socialcredit.store.bulk import insert_rows, stored_day
from socialcredit.store.database import Store
from socialcredit.store.tables import (
    assessments,
    enforcement_index,
    evaluation_runs,
    list_entries,
    notice_state,
    notified_grades,
)

FIRST_SWEEP_DAYS = 30
SWEPT_AT = "swept_at"
GRADES_RUN = "grades_run"


@dataclass
class SweepResult:
    created: dict[str, int] = field(default_factory=dict)  # notices created, by kind
    grades_run: int | None = None  # the evaluation run whose grades were compared

    @property
    def total(self) -> int:
        return sum(self.created.values())

    def add(self, made: Iterable[Notice]) -> None:
        for n in made:
            self.created[n.kind] = self.created.get(n.kind, 0) + 1


def _state(conn: Connection, key: str) -> str | None:
    value = conn.execute(select(notice_state.c.value).where(notice_state.c.key == key)).scalar()
    return None if value is None else str(value)


def _set_state(conn: Connection, key: str, value: str) -> None:
    conn.execute(delete(notice_state).where(notice_state.c.key == key))
    insert_rows(conn, "notice_state", ("key", "value"), [(key, value)])


def generate_due(store: Store, now: dt.datetime | None = None) -> SweepResult:
    """Create the notices that are due at ``now`` (default: the store's clock)."""
    now = naive_utc(store.clock.now() if now is None else now)
    result = SweepResult()
    with store.writer() as conn:
        policy, _note = policy_at(conn, now)
        last = _state(conn, SWEPT_AT)
        since = day_of(dt.datetime.fromisoformat(last)) if last else None
        result.add(_entry_notices(conn, policy, now, since))
        _set_state(conn, SWEPT_AT, now.isoformat())
    with store.writer() as conn:
        result.grades_run = _grade_notices(conn, now, result)
    return result


def _entries(conn: Connection, day: dt.date, *where: ColumnElement[bool]) -> list[ListEntry]:
    rows = conn.execute(select(list_entries.c.status_basis).where(*where))
    return [ListEntry.load(r.status_basis, day) for r in rows]


def _entry_notices(
    conn: Connection, policy: PolicySet, now: dt.datetime, since: dt.date | None
) -> list[Notice]:
    day = day_of(now)
    c = list_entries.c
    # grade-based entries are republished with every run: their changes are the grade
    # changes, notified as such (grade_low, grade_top), never as entries
    graded = sorted(n for n, i in policy.lists.items() if i.definition.grade_based)
    started = [c.effective_from <= day, c.ends_on > c.effective_from, c.list.not_in(graded)]
    started.append(c.effective_from > since if since is not None else c.ends_on > day)
    ended_after = since if since is not None else day - dt.timedelta(days=FIRST_SWEEP_DAYS)
    changes = [
        EntryChange("listing_effective" if e.kind == "black" else "red_listing", e)
        for e in _entries(conn, day, *started)
    ]
    changes.extend(
        EntryChange(
            "listing_ended",
            e,
            f"removed by record {e.removed_by}" if e.removed_by else "its term is over",
        )
        for e in _entries(
            conn, day, c.ends_on <= day, c.ends_on > ended_after, c.list.not_in(graded)
        )
    )
    ix = enforcement_index.c
    role_where = [ix.target.not_in(NOT_ROLES), ix.valid_from <= day, ix.valid_to > ix.valid_from]
    role_where.append(ix.valid_from > since if since is not None else ix.valid_to > day)
    roles = [
        RoleRow(r.subject, r.measure, r.entry, r.owner, r.target, *_days(r.valid_from, r.valid_to))
        for r in conn.execute(
            select(
                ix.subject, ix.measure, ix.entry, ix.owner, ix.target, ix.valid_from, ix.valid_to
            ).where(*role_where)
        )
    ]
    role_entries = (
        {e.id: e for e in _entries(conn, day, c.id.in_(sorted({r.entry for r in roles})))}
        if roles
        else {}
    )
    if not changes and not roles:
        return []
    ids = entry_record_ids([ch.entry for ch in changes] + list(role_entries.values()))
    ctx = context(conn, policy, now, ids, {ch.entry.subject for ch in changes})
    made = entry_notices(conn, ctx, changes)
    made.extend(role_notices(ctx, roles, role_entries))
    return create_notices(conn, made, now)


def _days(*values: object) -> tuple[dt.date, ...]:
    return tuple(stored_day(v) for v in values)


def grade_kind(grades: tuple[str, ...], grade: str, previous: str | None) -> NoticeKind | None:
    """``grade_low``, ``grade_top`` or None for a change from ``previous`` to ``grade``."""
    rank = {g: i for i, g in enumerate(grades)}
    if grade not in rank:
        return None
    before = rank.get(previous) if previous is not None else None
    if grade in grades[-2:] and (before is None or rank[grade] > before):
        return "grade_low"
    if rank[grade] == 0 and before is not None and before > 0:
        return "grade_top"
    return None


def _grade_notices(conn: Connection, now: dt.datetime, result: SweepResult) -> int | None:
    run = conn.execute(
        select(evaluation_runs).order_by(evaluation_runs.c.id.desc()).limit(1)
    ).first()
    if run is None or _state(conn, GRADES_RUN) == str(run.id):
        return None if run is None else int(run.id)
    policy, _note = policy_at(conn, run.at)
    a, g = assessments.c, notified_grades.c
    rows = conn.execute(
        select(a.subject, a.scheme, a.grade, g.grade.label("previous"), g.run.label("seen"))
        .select_from(
            assessments.outerjoin(
                notified_grades, and_(g.subject == a.subject, g.scheme == a.scheme)
            )
        )
        .where(a.run == run.id)
    ).all()
    due: list[tuple[str, str, str, str | None, NoticeKind]] = []
    changed: list[tuple[str, str, str | None]] = []
    known: list[tuple[str, str]] = []  # changed rows already in notified_grades
    for r in rows:
        if r.seen is not None and r.grade == r.previous:
            continue
        changed.append((r.subject, r.scheme, r.grade))
        if r.seen is not None:
            known.append((r.subject, r.scheme))
        info = policy.schemes.get(r.scheme)
        if info is None or r.grade is None:
            continue
        kind = grade_kind(tuple(b.grade for b in info.scheme.bands), r.grade, r.previous)
        if kind is not None:
            due.append((r.subject, r.scheme, r.grade, r.previous, kind))
    made = _grade_bodies(conn, policy, run, now, due)
    result.add(create_notices(conn, made, now))
    for subject, scheme in known:
        conn.execute(delete(notified_grades).where(g.subject == subject, g.scheme == scheme))
    insert_rows(
        conn,
        "notified_grades",
        ("subject", "scheme", "grade", "run"),
        [(s, k, grade, int(run.id)) for s, k, grade in changed],
    )
    _set_state(conn, GRADES_RUN, str(run.id))
    return int(run.id)


def _grade_bodies(
    conn: Connection,
    policy: PolicySet,
    run: Row[Any],
    now: dt.datetime,
    due: list[tuple[str, str, str, str | None, NoticeKind]],
) -> list[Notice]:
    if not due:
        return []
    at, known_at = run.at, run.known_at
    found = {}
    for subject in sorted({d[0] for d in due}):
        try:
            found[subject] = assess(conn, policy, subject, at, known_at)
        except NotFound:
            continue
    ids = {c.record_id for a in found.values() for s in a.schemes.values() for c in s.contributions}
    ctx = context(conn, policy, now, ids, found)
    refs = subject_refs(conn, {d[0] for d in due})
    day = day_of(at)
    out: list[Notice] = []
    for subject, scheme, grade, previous, kind in due:
        assessment = found.get(subject)
        scheme_result = assessment.schemes.get(scheme) if assessment is not None else None
        ref = refs[subject]
        for recipient, role in recipients(conn, subject, ref.kind, now):
            body = grade_body(
                kind,
                subject,
                policy.schemes[scheme],
                grade,
                previous,
                scheme_result,
                day,
                ctx,
                role=role,
            )
            out.append(make_notice(recipient, subject, f"{scheme}:{grade}", now, body))
    return out


__all__ = ["FIRST_SWEEP_DAYS", "SweepResult", "generate_due", "grade_kind"]
