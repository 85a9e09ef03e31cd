"""The incremental engine: one subject, evaluated in Python in well under a millisecond.

A pure function of the subject's records, the active policy and two instants
(``docs/engine.md`` steps 1-13); :mod:`socialcredit.engine.ledger_view` loads
the inputs from the store. The policy's plan (:mod:`socialcredit.engine.plan`,
shared with the batch engine) is built once per :class:`PolicySet` and reused
for every subject; the record helpers of steps 1-6 are
:mod:`socialcredit.engine.records`.

Decisions where ``docs/engine.md`` leaves room (the batch engine follows them):

* ``per``: a JSON boolean is not a number (no match). ``attributes.sector``
  raises a period only when it is a string.
* Act key: a non-string case key value is its canonical JSON text (``7`` →
  ``"7"``, ``7.5`` → ``"7.5"``, ``true`` → ``"true"``).
* ``ended_by`` as written: the earliest ending record of the act ends the
  match if it is before the match's own end, even when it occurred before the
  match (the match then expires at once, reason ``ended_by``). It is looked
  for among the effective records of the subject the matched record is about:
  the organisation, for ``via`` rules (compared on the unprefixed act key).
* A ``via`` match's act key is ``"<organisation id>:<act key>"``; the person's
  own records and each organisation's records therefore never merge.
* A role holder is found among the role registry records whose ``ended`` is
  absent or after ``d`` (filter first); for the legal representative the
  latest of those (by ``occurred_at``, then ``seq``) names the only holder.
* ``scheme.base`` and band minima are rounded to units (``to_units``) and
  compared as integers: ``score_units >= to_units(band.min)`` (the same as
  comparing decimals for minima with at most 4 decimals).
* A ``grade_cap`` that is not a grade of the scheme (a lint error) is ignored.
* Records whose ``subject`` is not the one evaluated (or, in ``roles``, not
  the organisation) are ignored.
* Step 3 (docs/remedies.md, :mod:`socialcredit.engine.due_process`): suspended
  records take no part in anything (matches, act keys, ``ended_by``, consent,
  roles); the explanation lists their matches as expired with reason
  ``suspended`` and the day the suspension began as ``end``. A repair ends a
  match when ``effective <= d`` and ``effective < end`` (after ``ended_by``;
  on the same day ``ended_by`` wins), reason ``repaired``. The remedy records
  of a role organisation are read like its other records.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

from socialcredit.clock import day_of, naive_utc
from socialcredit.engine import explain as explanation
from socialcredit.engine.due_process import Hold, Repair, due_process
from socialcredit.engine.model import (
    DOMAIN_NAMES,
    Assessment,
    LedgerRecord,
    SchemeAssessment,
    SubjectRef,
    to_units,
)
from socialcredit.engine.plan import Plan, RulePlan, SchemePlan, plan_for
from socialcredit.engine.records import act_key, consented, current_records, roles_held
from socialcredit.engine.scope import in_scope as scheme_in_scope
from socialcredit.engine.scope import scope_of
from socialcredit.policy.policy_set import PolicySet
from socialcredit.policy.predicate import evaluate


@dataclass(frozen=True, slots=True)
class RoleRecords:
    """An organisation in which the subject may hold a role, and its records.

    ``records`` must hold the organisation's role registry records
    (``registry.legal_representative`` …), the records ``via`` rules score
    and any record superseding one of those; more is harmless.
    """

    organisation: SubjectRef
    records: tuple[LedgerRecord, ...]


# -- evaluation -----------------------------------------------------------------------


@dataclass(slots=True)
class Match:
    """One record × rule match (step 6), with what steps 7-10 decide about it."""

    record: LedgerRecord
    rule: RulePlan
    points: float
    act_key: str
    days: int
    end: dt.date
    ended_by: bool
    active: bool
    via: str | None
    multiplier: float = 1.0
    weight: float = 1.0
    units: int = 0
    reason: str | None = None  # why it stopped: None for 'period'/'ended_by' as flagged

    def rank_key(self) -> tuple[float, dt.date, int, int]:
        """Step 7: the representative is the smallest of these."""
        return (-abs(self.points), self.record.occurred_at, self.record.seq, self.rule.order)


@dataclass(slots=True)
class SchemeWork:
    scheme: SchemePlan
    groups: dict[str, list[Match]] = field(default_factory=dict)
    suspended: list[Match] = field(default_factory=list)  # for the explanation only


def evaluate_subject(
    policy: PolicySet,
    subject: SubjectRef,
    records: Sequence[LedgerRecord],
    at: dt.datetime,
    known_at: dt.datetime | None = None,
    roles: Sequence[RoleRecords] = (),
    explain: bool = True,
) -> Assessment:
    """Assess one subject under every scheme in scope (docs/engine.md).

    ``at`` and ``known_at`` are UTC instants (naive datetimes are UTC);
    ``known_at`` defaults to ``at``. ``records`` are the subject's records and
    ``roles`` the organisations in which it may hold a role (step 13).
    ``explain=False`` gives the same scores without the explanation lists.
    """
    at_utc = naive_utc(at)
    known = at_utc if known_at is None else naive_utc(known_at)
    day = day_of(at_utc)
    plan = plan_for(policy)
    current = current_records(records, known, day, subject.id)
    process = due_process(current)
    split = process.split(current, day)
    own = split.effective
    place = scope_of(subject.kind, own, day)
    in_scope = [s for s in plan.schemes if scheme_in_scope(s.info, subject.kind, place, day)]
    work = {s.name: SchemeWork(s) for s in in_scope if not s.consent or consented(own, s.name)}
    if work:
        _collect(plan, own, day, work, plan.own_rules, None, process.repairs)
        if explain:
            _suspended(split.suspended, work, plan.own_rules, None)
        if plan.via_rules:
            for org in roles:
                org_current = current_records(org.records, known, day, org.organisation.id)
                org_process = due_process(org_current)
                org_split = org_process.split(org_current, day)
                org_records = org_split.effective
                held = roles_held(org_records, subject.id, day, plan.role_categories)
                if held:
                    by_category = {
                        cat: kept
                        for cat, rules in plan.via_rules.items()
                        if (kept := tuple(r for r in rules if r.via in held))
                    }
                    org_id = org.organisation.id
                    _collect(plan, org_records, day, work, by_category, org_id, org_process.repairs)
                    if explain:
                        _suspended(org_split.suspended, work, by_category, org_id)
    results = {
        s.name: _finish(work[s.name], day, explain) if s.name in work else _no_consent(s)
        for s in in_scope
    }
    return Assessment(
        subject=subject.id,
        kind=subject.kind,
        jurisdiction=place.area or "",
        at=at_utc,
        known_at=known,
        policy_version=policy.version,
        schemes=results,
    )


def _points(rule: RulePlan, attributes: dict[str, object]) -> float | None:
    """Step 6: the base points of a match, or None when the record does not match."""
    if rule.when is not None and not evaluate(rule.when, attributes):
        return None
    if rule.per is None:
        return rule.points
    factor = attributes.get(rule.per)
    if isinstance(factor, bool) or not isinstance(factor, int | float):
        return None
    return rule.points * float(factor)


def _collect(
    plan: Plan,
    records: list[LedgerRecord],
    day: dt.date,
    work: dict[str, SchemeWork],
    rules_by_category: dict[str, tuple[RulePlan, ...]],
    via: str | None,
    repairs: dict[str, Repair],
) -> None:
    """Step 6: every match of these records, grouped by act key per scheme (step 7)."""
    case_keys = plan.case_keys
    endings: dict[tuple[str, str], dt.date] | None = None
    for record in records:
        rules = rules_by_category.get(record.category)
        if not rules:
            continue
        attributes = record.attributes
        key: str | None = None
        repair = repairs.get(record.id)
        for rule in rules:
            item = work.get(rule.scheme)
            if item is None:
                continue
            points = _points(rule, attributes)
            if points is None:
                continue
            if key is None:
                key = act_key(record, case_keys.get(record.category))
            days = rule.days
            if rule.record_sector:
                sector = attributes.get("sector")
                if isinstance(sector, str):
                    days = max(days, plan.sector_minimum.get(sector, 0))
            end = record.occurred_at + dt.timedelta(days=days)
            ended = False
            if rule.ended_by:
                if endings is None:
                    endings = _ending_index(records, plan)
                first = min(
                    (e for c in rule.ended_by if (e := endings.get((c, key))) is not None),
                    default=None,
                )
                if first is not None and first <= day and first < end:
                    end, ended = first, True
            reason: str | None = None
            if repair is not None and repair.effective <= day and repair.effective < end:
                end, ended, reason = repair.effective, False, "repaired"
            group = key if via is None else f"{via}:{key}"
            match = Match(
                record, rule, points, group, days, end, ended, day < end, via, reason=reason
            )
            item.groups.setdefault(group, []).append(match)


def _suspended(
    held: list[tuple[LedgerRecord, Hold]],
    work: dict[str, SchemeWork],
    rules_by_category: dict[str, tuple[RulePlan, ...]],
    via: str | None,
) -> None:
    """Step 3, for the explanation: the matches suspended records would have, each
    expired with reason ``suspended`` on the day its suspension began."""
    for record, hold in held:
        for rule in rules_by_category.get(record.category, ()):
            item = work.get(rule.scheme)
            points = None if item is None else _points(rule, record.attributes)
            if item is None or points is None:
                continue
            item.suspended.append(
                Match(
                    record,
                    rule,
                    points,
                    record.id,
                    rule.days,
                    hold.start,
                    False,
                    False,
                    via,
                    reason="suspended",
                )
            )


def _ending_index(records: list[LedgerRecord], plan: Plan) -> dict[tuple[str, str], dt.date]:
    """(category, act key) → the first day a record of that category names that act."""
    index: dict[tuple[str, str], dt.date] = {}
    for r in records:
        if r.category not in plan.enders:
            continue
        k = (r.category, act_key(r, plan.case_keys.get(r.category)))
        if k not in index or r.occurred_at < index[k]:
            index[k] = r.occurred_at
    return index


def _finish(item: SchemeWork, day: dt.date, explain: bool) -> SchemeAssessment:
    """Steps 7-12 for one scheme."""
    scheme = item.scheme
    representatives: list[Match] = []
    merged: list[tuple[Match, Match]] = []
    for members in item.groups.values():
        rep = members[0] if len(members) == 1 else min(members, key=Match.rank_key)
        representatives.append(rep)
        if explain:
            merged.extend((m, rep) for m in members if m is not rep)
    _escalate(representatives)
    domains = dict.fromkeys(DOMAIN_NAMES, 0)
    caps: list[str] = []
    active: list[Match] = []
    for rep in representatives:
        if not rep.active:
            continue
        rule = rep.rule
        if rule.half_life is not None:
            rep.weight = 0.5 ** ((day - rep.record.occurred_at).days / rule.half_life)
        rep.units = to_units(rep.points * rep.multiplier * rep.weight)
        domains[rule.domain] = domains.get(rule.domain, 0) + rep.units
        if rule.cap is not None:
            caps.append(rule.cap)
        active.append(rep)
    score = scheme.base_units + sum(domains.values())
    grade = scheme.grade(score, caps)
    result = SchemeAssessment(
        scheme=scheme.name,
        pack=scheme.info.pack,
        version=scheme.info.version,
        status="scored",
        score_units=score,
        domain_units=domains,
        grade=grade,
    )
    if not explain:
        return result
    expired = [rep for rep in representatives if not rep.active] + item.suspended
    return explanation.explain(result, scheme, active, merged, expired)


def _escalate(representatives: list[Match]) -> None:
    """Step 8: a repeat within the previous representative's effect period escalates."""
    by_rule: dict[str, list[Match]] = {}
    for rep in representatives:
        if rep.rule.repeat is not None:
            by_rule.setdefault(rep.rule.id, []).append(rep)
    for reps in by_rule.values():
        reps.sort(key=lambda m: (m.record.occurred_at, m.record.seq))
        for previous, rep in itertools.pairwise(reps):
            reach = previous.record.occurred_at + dt.timedelta(days=previous.days)
            if reach > rep.record.occurred_at:
                rep.multiplier = rep.rule.repeat or 1.0


def _no_consent(scheme: SchemePlan) -> SchemeAssessment:
    return SchemeAssessment(
        scheme=scheme.name,
        pack=scheme.info.pack,
        version=scheme.info.version,
        status="no_consent",
        score_units=None,
        domain_units=dict.fromkeys(DOMAIN_NAMES, 0),
        grade=None,
    )


__all__ = ["Match", "RoleRecords", "evaluate_subject"]
