"""List entries: which red and black lists a subject is on, as a pure function.

``entries_for`` implements ``docs/lists.md`` ("Entries") on the records of one
subject, with visibility, supersession and act keys exactly as the engines
apply them (``docs/engine.md`` steps 1-3 and 6, shared through
:mod:`socialcredit.engine.incremental`).

Decisions where ``docs/lists.md`` leaves room:

* A list applies to a subject when the subject's kind is in the list's
  ``subjects`` and the jurisdiction of the list's pack covers the subject's
  area of residence or registration on the day (its registry records, as for
  schemes: docs/engine.md step 4); a subject no record places is on national
  lists only.
* Overrides and the per-case extension are read from the entry's ground
  record (``ListDef.term_for``: the days the court set in the attribute the
  term's ``extension`` names, bounded by the catalogue item, which ingestion
  enforces). An extension lengthens a fixed term only; an ``until_removed``
  term ends at ``max_days`` whatever the record says.
* A term the lint would refuse (``until_removed`` without ``max_days``, no
  ``days``) falls back to the other bound, else to ``FALLBACK_DAYS``: nothing
  lasts forever even in a pack that was never linted.
* A grade-based entry's act key is ``<scheme>:<grade>``.
* Entries come in list order (packs in activation order), then by
  ``pending_from`` and act key.
* Notice runs from the day the platform learnt of the entry's ground (step 3):
  the recorded day of the ground, or of the earliest version in its chain of
  corrections that was already a ground of the same entry, so a correction does
  not restart the notice period or lengthen the term; a removal that had ended
  the entry before it took effect and is later corrected or withdrawn revives
  it with notice from that correction's recorded day
  (:mod:`socialcredit.enforcement.grounds`). Removal records count from the
  ground's ``occurred_at``, not from ``pending_from``.
* A record linked to the subject by entity resolution grounds no entry until a
  reviewer has confirmed the link (:mod:`socialcredit.engine.links`); it may count in
  a score meanwhile.
* Remedies (docs/remedies.md): grounds are the records effective by steps 1-2
  of docs/engine.md, suspended or not; removal records must also be
  unsuspended on the day. An entry is suspended (status ``suspended``, not in
  force, no measure applies) on the days every one of its grounds is
  suspended; ``suspensions`` lists those periods as known on the day, so the
  index built today already ends an entry the day after an unanswered
  objection's ``answer_by``. Its dates stay those of its earliest ground, and
  suspension does not lengthen the term. An accepted repair whose case names
  the entry (``entry``) or its ground record (``target``) ends the entry on
  its ``effective`` day when that is before ``end`` (``removed_by`` = the
  repair decision; on the same day a removal record wins).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Literal

from socialcredit.clock import day_of, naive_utc
from socialcredit.enforcement.grounds import known_since, removals_of, revived_on
from socialcredit.enforcement.model import (
    GroundFacts,
    ListEntry,
    Suspension,
    status_at,
    suspended_on,
)
from socialcredit.engine.due_process import DueProcess, Repair, due_process
from socialcredit.engine.links import unconfirmed
from socialcredit.engine.model import LedgerRecord, SubjectRef
from socialcredit.engine.plan import plan_for
from socialcredit.engine.records import act_key, current_records
from socialcredit.engine.scope import Scope, area_covered, scope_of
from socialcredit.policy.lists import ListDef
from socialcredit.policy.policy_set import ListInfo, PolicySet
from socialcredit.policy.predicate import evaluate

FALLBACK_DAYS = 1095  # NDRC Order No. 58: display stops automatically after 3 years
GradeOf = Callable[[str], str | None]


def applies(info: ListInfo, kind: str, place: Scope) -> bool:
    """Whether a list can hold a subject of ``kind`` placed so: its kind, and its pack's
    jurisdiction covers the subject's area of residence or registration."""
    return kind in info.definition.subjects and area_covered(info.jurisdiction, place)


def entries_for(
    policy: PolicySet,
    subject: SubjectRef,
    records: Sequence[LedgerRecord],
    at: dt.datetime,
    known_at: dt.datetime | None = None,
    grade_of: GradeOf | None = None,
) -> list[ListEntry]:
    """Every entry of ``subject`` on the active lists at ``at`` as known at ``known_at``:
    pending, active and ended. ``grade_of(scheme)`` gives the subject's grade in a
    scheme at (``at``, ``known_at``) for grade-based lists (None: not graded)."""
    at_utc = naive_utc(at)
    known = at_utc if known_at is None else naive_utc(known_at)
    day = day_of(at_utc)
    current = current_records(records, known, day, subject.id)
    versions = {r.id: r for r in records if r.recorded_at <= known}
    process = due_process(current)
    own = process.split(current, day).effective
    case_keys = plan_for(policy).case_keys  # built once per PolicySet
    place = scope_of(subject.kind, own, day)
    out: list[ListEntry] = []
    for info in policy.lists.values():
        if not applies(info, subject.kind, place):
            continue
        if info.definition.grade_based:
            entry = _grade_entry(info, subject.id, day, grade_of)
            if entry is not None:
                out.append(entry)
        else:
            out.extend(
                _record_entries(info, subject.id, current, own, process, day, case_keys, versions)
            )
    return out


def _grade_entry(
    info: ListInfo, subject: str, day: dt.date, grade_of: GradeOf | None
) -> ListEntry | None:
    ld = info.definition
    rule = ld.entry.grade
    assert rule is not None
    grade = grade_of(rule.scheme) if grade_of is not None else None
    if grade is None or grade not in rule.grades:
        return None
    key = f"{rule.scheme}:{grade}"
    until = day + dt.timedelta(days=1)
    return ListEntry(
        id=f"{ld.name}:{subject}:{key}",
        list=ld.name,
        kind=ld.kind,
        subject=subject,
        act_key=key,
        ground_record=None,
        authority=ld.authority,
        legal_basis=ld.basis_text,
        pending_from=day,
        effective_from=day,
        ends_at=until,
        end=until,
        status="active",
        pack=info.pack,
    )


def _record_entries(
    info: ListInfo,
    subject: str,
    current: list[LedgerRecord],
    own: list[LedgerRecord],
    process: DueProcess,
    day: dt.date,
    case_keys: dict[str, str | None],
    versions: dict[str, LedgerRecord],
) -> list[ListEntry]:
    ld = info.definition
    categories = set(ld.entry.categories)

    def ground_key(r: LedgerRecord) -> str | None:
        if r.category in categories and evaluate(ld.entry.when, r.attributes):
            return act_key(r, case_keys.get(r.category))
        return None

    groups: dict[str, list[LedgerRecord]] = {}
    # a record linked by matching and not confirmed by a reviewer grounds no entry
    # (engine/links.py): it may count in a score, never in a list or a measure
    unsure = unconfirmed(current)
    for r in current:
        if r.id in unsure:
            continue
        if (key := ground_key(r)) is not None:
            groups.setdefault(key, []).append(r)
    if not groups:
        return []
    removals = removals_of(ld, own, case_keys)
    current_ids = {r.id for r in current}
    earlier = [r for r in versions.values() if r.id not in current_ids and r.subject == subject]
    revoked = removals_of(ld, earlier, case_keys)  # removals later corrected or withdrawn
    entries = []
    for key, grounds in groups.items():
        grounds.sort(key=lambda r: (r.occurred_at, r.seq))
        known = known_since(grounds[0], key, versions, ground_key)
        would_take_effect = max(grounds[0].occurred_at, known) + dt.timedelta(days=ld.notice_days)
        revived = revived_on(revoked, key, grounds, versions, would_take_effect)
        if revived is not None and revived > known:
            known = revived  # a removal corrected away: notice runs from the correction
        removal = removals.first(key, grounds)
        facts = ground_facts(grounds[0], case_keys.get(grounds[0].category))
        entries.append(_entry(info, subject, key, grounds, removal, process, day, known, facts))
    entries.sort(key=lambda e: (e.pending_from, e.act_key))
    return entries


def _entry(
    info: ListInfo,
    subject: str,
    key: str,
    grounds: list[LedgerRecord],
    removal: LedgerRecord | None,
    process: DueProcess,
    day: dt.date,
    known: dt.date,
    facts: GroundFacts,
) -> ListEntry:
    ld = info.definition
    ground = grounds[0]
    entry_id = f"{ld.name}:{subject}:{key}"
    # warn before punishing: the notice period runs from the day the platform could
    # give notice — the ground's day, or the day it learnt of it if it came in late
    pending_from = max(ground.occurred_at, known)
    effective_from = pending_from + dt.timedelta(days=ld.notice_days)
    ends_at = effective_from + dt.timedelta(days=_term_days(ld, ground))
    end, removed_by = ends_at, None
    if removal is not None and removal.occurred_at < ends_at:
        end, removed_by = removal.occurred_at, removal.id
    repair = _repair(process, entry_id, ground.id)
    if repair is not None and repair.effective < end:
        end, removed_by = repair.effective, repair.decision
    suspensions = _suspensions(grounds, process)
    return ListEntry(
        id=entry_id,
        list=ld.name,
        kind=ld.kind,
        subject=subject,
        act_key=key,
        ground_record=ground.id,
        supporting_records=tuple(r.id for r in grounds[1:]),
        authority=ld.authority,
        legal_basis=ld.basis_text,
        pending_from=pending_from,
        effective_from=effective_from,
        ends_at=ends_at,
        removed_by=removed_by,
        end=end,
        status=status_at(day, pending_from, effective_from, end, suspensions),
        pack=info.pack,
        suspensions=suspensions,
        ground=facts,
    )


def ground_facts(record: LedgerRecord, case_key: str | None) -> GroundFacts:
    """The facts of a ground record an entry carries: category, provider, day, the case
    (the category's ``case_key`` attribute) and the amount."""
    case_no = record.attributes.get(case_key) if case_key else None
    amount = record.attributes.get("amount")
    return GroundFacts(
        record=record.id,
        category=record.category,
        provider=record.provider,
        occurred_at=record.occurred_at,
        case_key=case_key,
        case_no=None if case_no is None else str(case_no),
        amount=float(amount) if isinstance(amount, int | float) else None,
    )


def _repair(process: DueProcess, entry_id: str, ground: str) -> Repair | None:
    found = [r for r in (process.entry_repairs.get(entry_id), process.repairs.get(ground)) if r]
    return min(found, key=lambda r: r.effective, default=None)


def _suspensions(grounds: list[LedgerRecord], process: DueProcess) -> tuple[Suspension, ...]:
    """The periods in which every ground of an entry is suspended."""
    if not process.holds:
        return ()
    periods = [
        Suspension(start=h.start, until=h.until, case=h.case, reason=_reason(h.reason))
        for h in process.holds.get(grounds[0].id, ())
    ]
    for other in grounds[1:]:
        narrowed: list[Suspension] = []
        for s in periods:
            for h in process.holds.get(other.id, ()):
                start = max(s.start, h.start)
                ends = [d for d in (s.until, h.until) if d is not None]
                until = min(ends) if ends else None
                if until is None or start < until:
                    narrowed.append(s.model_copy(update={"start": start, "until": until}))
        periods = narrowed
    return tuple(sorted(periods, key=lambda s: s.start))


def _reason(value: str) -> Literal["objection", "appeal"]:
    return "appeal" if value == "appeal" else "objection"


def in_force(entry: ListEntry) -> list[tuple[dt.date, dt.date]]:
    """The periods ``[from, to)`` in which an entry is in force: its effective dates
    less its suspensions."""
    periods = [(entry.effective_from, entry.end)]
    for s in sorted(entry.suspensions, key=lambda s: s.start):
        until = s.until or dt.date.max
        kept: list[tuple[dt.date, dt.date]] = []
        for lo, hi in periods:
            if until <= lo or s.start >= hi:
                kept.append((lo, hi))
                continue
            if lo < s.start:
                kept.append((lo, s.start))
            if until < hi:
                kept.append((until, hi))
        periods = kept
    return periods


def _term_days(ld: ListDef, ground: LedgerRecord) -> int:
    term, extra = ld.term_for(ground.attributes)
    if term.until_removed:
        bound = term.max_days if term.max_days is not None else term.days
        return bound if bound is not None else FALLBACK_DAYS
    if term.days is None:
        return term.max_days if term.max_days is not None else FALLBACK_DAYS
    return term.days + extra


def is_active(entry: ListEntry, day: dt.date) -> bool:
    """Whether an entry is in force on ``day`` (by its dates and suspensions, whatever
    its stored status)."""
    return entry.effective_from <= day < entry.end and not suspended_on(entry.suspensions, day)


__all__ = [
    "FALLBACK_DAYS",
    "applies",
    "entries_for",
    "in_force",
    "is_active",
    "status_at",
    "suspended_on",
]
