"""The incremental engine: one subject, evaluated in Python in well under a millisecond.

A pure function of the subject's records, the active policy and two instants
(``docs/engine.md`` steps 1-13); :mod:`socialcredit.engine.ledger_view` loads
the inputs from the store. Per-policy lookup tables are built once per
:class:`PolicySet` (see :func:`tables_for`) and reused for every subject.

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
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from socialcredit.clock import day_of, naive_utc
from socialcredit.engine import explain as explanation
from socialcredit.engine.due_process import ENGINE_CATEGORIES, Hold, Repair, due_process
from socialcredit.engine.model import (
    DOMAIN_NAMES,
    Assessment,
    LedgerRecord,
    SchemeAssessment,
    SubjectRef,
    to_units,
)
from socialcredit.engine.scope import in_scope as scheme_in_scope
from socialcredit.engine.scope import scope_of
from socialcredit.policy.policy_set import PolicySet, RuleInfo, SchemeInfo
from socialcredit.policy.predicate import Predicate, evaluate
from socialcredit.policy.rules import ROLE_CATEGORIES
from socialcredit.store.content import canonical_json

CONSENT_CATEGORY = "registry.consent"


@dataclass(frozen=True, slots=True)
class RoleRecords:
    """An organisation in which the subject may hold a role, and its records.

    ``records`` must hold the organisation's role registry records
    (``registry.legal_representative`` …), the records ``via`` rules score
    and any record superseding one of those; more is harmless.
    """

    organisation: SubjectRef
    records: tuple[LedgerRecord, ...]


# -- per-policy tables ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CompiledRule:
    info: RuleInfo
    id: str
    order: int
    scheme: str
    category: str
    when: Predicate | None
    points: float
    per: str | None
    domain: str
    days: int  # effect period; raised to the category sector's minimum when it has one
    record_sector: bool  # the record's attributes.sector may raise the period
    ended_by: tuple[str, ...]
    half_life: float | None
    multiplier: float | None
    cap: str | None
    via: str | None


@dataclass(frozen=True, slots=True)
class CompiledScheme:
    info: SchemeInfo
    name: str
    consent: bool
    base_units: int
    mins: tuple[int | None, ...]  # band minima in units, best band first
    grades: tuple[str, ...]
    rank: dict[str, int]

    def grade(self, score_units: int, caps: Iterable[str] = ()) -> str:
        """The band grade of a score, lowered to the worst of any caps (step 12)."""
        index = len(self.mins) - 1
        for i, low in enumerate(self.mins):
            if low is None or score_units >= low:
                index = i
                break
        for cap in caps:
            capped = self.rank.get(cap)
            if capped is not None and capped > index:
                index = capped
        return self.grades[index]


@dataclass(frozen=True)
class Tables:
    """What evaluation needs from a PolicySet, resolved once."""

    schemes: tuple[CompiledScheme, ...]
    own_rules: dict[str, tuple[CompiledRule, ...]]  # by category, rules without `via`
    via_rules: dict[str, tuple[CompiledRule, ...]]  # by category, rules with `via`
    via_roles: frozenset[str]
    enders: frozenset[str]  # categories some rule's `ended_by` names
    case_keys: dict[str, str | None]
    sector_minimum: dict[str, int]

    def org_categories(self) -> frozenset[str]:
        """Categories of an organisation's records that role rules read."""
        out = set(self.via_rules)
        out.update(e for rules in self.via_rules.values() for r in rules for e in r.ended_by)
        out.update(ROLE_CATEGORIES[role] for role in self.via_roles)
        out.update(ENGINE_CATEGORIES)  # suspensions and repairs (step 3)
        return frozenset(out)


_TABLES: weakref.WeakKeyDictionary[PolicySet, Tables] = weakref.WeakKeyDictionary()


def tables_for(policy: PolicySet) -> Tables:
    """The lookup tables of a policy (built on first use, cached per PolicySet)."""
    tables = _TABLES.get(policy)
    if tables is None:
        tables = _TABLES[policy] = _compile(policy)
    return tables


def _compile(policy: PolicySet) -> Tables:
    schemes = tuple(_compile_scheme(info) for info in policy.schemes.values())
    own: dict[str, list[CompiledRule]] = {}
    via: dict[str, list[CompiledRule]] = {}
    for info in policy.rules:
        rule = info.rule
        if rule.scheme not in policy.schemes:
            continue  # the lint reports it; no scheme to score
        compiled = CompiledRule(
            info=info,
            id=rule.id,
            order=info.order,
            scheme=rule.scheme,
            category=rule.category,
            when=rule.when,
            points=float(rule.points),
            per=rule.per,
            domain=info.domain,
            days=policy.effect_days(info, None),
            record_sector=info.category.sector is None,
            ended_by=tuple(rule.ended_by),
            half_life=rule.decay.half_life_days if rule.decay else None,
            multiplier=rule.repeat.multiplier if rule.repeat else None,
            cap=rule.grade_cap,
            via=rule.via,
        )
        (via if rule.via else own).setdefault(rule.category, []).append(compiled)
    return Tables(
        schemes=schemes,
        own_rules={k: tuple(v) for k, v in own.items()},
        via_rules={k: tuple(v) for k, v in via.items()},
        via_roles=frozenset(r.via for rules in via.values() for r in rules if r.via),
        enders=frozenset(c for info in policy.rules for c in info.rule.ended_by),
        case_keys={name: cat.case_key for name, cat in policy.catalogue.categories.items()},
        sector_minimum=dict(policy.sector_minimum),
    )


def _compile_scheme(info: SchemeInfo) -> CompiledScheme:
    bands = info.scheme.bands
    grades = tuple(b.grade for b in bands)
    return CompiledScheme(
        info=info,
        name=info.name,
        consent=info.scheme.consent,
        base_units=to_units(info.scheme.base),
        mins=tuple(None if b.min is None else to_units(b.min) for b in bands),
        grades=grades,
        rank={g: i for i, g in enumerate(grades)},
    )


# -- evaluation -----------------------------------------------------------------------


@dataclass(slots=True)
class Match:
    """One record × rule match (step 6), with what steps 7-10 decide about it."""

    record: LedgerRecord
    rule: CompiledRule
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
    scheme: CompiledScheme
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
    tables = tables_for(policy)
    current = current_records(records, known, day, subject.id)
    process = due_process(current)
    split = process.split(current, day)
    own = split.effective
    place = scope_of(subject.kind, own, day)
    in_scope = [s for s in tables.schemes if scheme_in_scope(s.info, subject.kind, place, day)]
    work = {s.name: SchemeWork(s) for s in in_scope if not s.consent or consented(own, s.name)}
    if work:
        _collect(tables, own, day, work, tables.own_rules, None, process.repairs)
        if explain:
            _suspended(split.suspended, work, tables.own_rules, None)
        if tables.via_rules:
            for org in roles:
                org_current = current_records(org.records, known, day, org.organisation.id)
                org_process = due_process(org_current)
                org_split = org_process.split(org_current, day)
                org_records = org_split.effective
                held = roles_held(org_records, subject.id, day, tables.via_roles)
                if held:
                    by_category = {
                        cat: kept
                        for cat, rules in tables.via_rules.items()
                        if (kept := tuple(r for r in rules if r.via in held))
                    }
                    org_id = org.organisation.id
                    _collect(
                        tables, org_records, day, work, by_category, org_id, org_process.repairs
                    )
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


def current_records(
    records: Iterable[LedgerRecord], known_at: dt.datetime, day: dt.date, subject: str
) -> list[LedgerRecord]:
    """Steps 1-2: visible, not replaced by a visible record, not withdrawn."""
    visible = [
        r
        for r in records
        if r.recorded_at <= known_at and r.occurred_at <= day and r.subject == subject
    ]
    replaced = {r.supersedes for r in visible if r.supersedes is not None}
    return [r for r in visible if not r.withdrawn and r.id not in replaced]


def effective_records(
    records: Iterable[LedgerRecord], known_at: dt.datetime, day: dt.date, subject: str
) -> list[LedgerRecord]:
    """Steps 1-3: visible, not replaced by a visible record, not withdrawn, not
    suspended on ``day`` (docs/remedies.md)."""
    current = current_records(records, known_at, day, subject)
    return due_process(current).split(current, day).effective


def consented(records: Iterable[LedgerRecord], scheme: str) -> bool:
    """Step 5: the latest consent record for the scheme says ``given: true``."""
    latest: LedgerRecord | None = None
    for r in records:
        if (
            r.category == CONSENT_CATEGORY
            and r.attributes.get("scheme") == scheme
            and (latest is None or (r.occurred_at, r.seq) > (latest.occurred_at, latest.seq))
        ):
            latest = r
    return latest is not None and latest.attributes.get("given") is True


def roles_held(
    records: Iterable[LedgerRecord], person: str, day: dt.date, roles: Iterable[str]
) -> frozenset[str]:
    """Step 13: the roles ``person`` holds on ``day`` in the organisation of ``records``."""
    wanted = {ROLE_CATEGORIES[role]: role for role in roles}
    iso_day = day.isoformat()
    current: dict[str, list[LedgerRecord]] = {}
    for r in records:
        if r.category in wanted:
            ended = r.attributes.get("ended")
            if ended is None or (isinstance(ended, str) and ended > iso_day):
                current.setdefault(r.category, []).append(r)
    held: set[str] = set()
    for category, found in current.items():
        role = wanted[category]
        if role == "legal_representative":
            found = [max(found, key=lambda r: (r.occurred_at, r.seq))]
        if any(r.attributes.get("person") == person for r in found):
            held.add(role)
    return frozenset(held)


def act_key(record: LedgerRecord, case_key: str | None) -> str:
    """Step 6: the case key's value as text, else the record id."""
    if case_key is not None:
        value = record.attributes.get(case_key)
        if value is not None:
            return value if isinstance(value, str) else canonical_json(value)
    return record.id


def _points(rule: CompiledRule, attributes: dict[str, object]) -> float | None:
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
    tables: Tables,
    records: list[LedgerRecord],
    day: dt.date,
    work: dict[str, SchemeWork],
    rules_by_category: dict[str, tuple[CompiledRule, ...]],
    via: str | None,
    repairs: dict[str, Repair],
) -> None:
    """Step 6: every match of these records, grouped by act key per scheme (step 7)."""
    case_keys = tables.case_keys
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
                    days = max(days, tables.sector_minimum.get(sector, 0))
            end = record.occurred_at + dt.timedelta(days=days)
            ended = False
            if rule.ended_by:
                if endings is None:
                    endings = _ending_index(records, tables)
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
    rules_by_category: dict[str, tuple[CompiledRule, ...]],
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


def _ending_index(records: list[LedgerRecord], tables: Tables) -> dict[tuple[str, str], dt.date]:
    """(category, act key) → the first day a record of that category names that act."""
    index: dict[tuple[str, str], dt.date] = {}
    for r in records:
        if r.category not in tables.enders:
            continue
        k = (r.category, act_key(r, tables.case_keys.get(r.category)))
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
        if rep.rule.multiplier is not None:
            by_rule.setdefault(rep.rule.id, []).append(rep)
    for reps in by_rule.values():
        reps.sort(key=lambda m: (m.record.occurred_at, m.record.seq))
        for previous, rep in itertools.pairwise(reps):
            reach = previous.record.occurred_at + dt.timedelta(days=previous.days)
            if reach > rep.record.occurred_at:
                rep.multiplier = rep.rule.multiplier or 1.0


def _no_consent(scheme: CompiledScheme) -> SchemeAssessment:
    return SchemeAssessment(
        scheme=scheme.name,
        pack=scheme.info.pack,
        version=scheme.info.version,
        status="no_consent",
        score_units=None,
        domain_units=dict.fromkeys(DOMAIN_NAMES, 0),
        grade=None,
    )


__all__ = [
    "CompiledRule",
    "CompiledScheme",
    "Match",
    "RoleRecords",
    "Tables",
    "act_key",
    "consented",
    "current_records",
    "effective_records",
    "evaluate_subject",
    "roles_held",
    "tables_for",
]
