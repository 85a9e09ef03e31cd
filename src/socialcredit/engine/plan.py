"""The active policy compiled once into the plan both engines evaluate.

A :class:`Plan` is plain data resolved from a :class:`PolicySet` once and cached
per PolicySet (:func:`plan_for`): the rules in their global order with points,
domain, effect period and grade cap; the schemes with base and band minima in
units; the rules by category for the incremental engine; and, for the batch
engine's SQL, which categories are read and which attributes of them, and how
(string, number, act key).
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field

from socialcredit.engine.due_process import ENGINE_CATEGORIES
from socialcredit.engine.model import to_units
from socialcredit.engine.records import CONSENT_CATEGORY
from socialcredit.engine.scope import SCOPE_CATEGORIES
from socialcredit.policy.policy_set import PolicySet, RuleInfo, SchemeInfo
from socialcredit.policy.predicate import Predicate, attributes_read
from socialcredit.policy.rules import ROLE_CATEGORIES


@dataclass(frozen=True, slots=True)
class RulePlan:
    """One rule of a scheme of the policy, resolved."""

    info: RuleInfo
    order: int  # position in the global rule order: the last tie-break of step 7
    id: str
    scheme: str
    category: str
    when: Predicate | None
    points: float
    per: str | None
    domain: str
    effect_days: int  # before any sector minimum
    days: int  # effect period raised to the category sector's minimum when it has one
    record_sector: bool  # the record's attributes.sector may raise the period
    ended_by: tuple[str, ...]
    half_life: float | None
    repeat: float | None  # the repeat multiplier (step 8)
    cap: str | None  # the grade cap
    cap_rank: int | None  # rank of the grade cap in the scheme's bands (0 = best)
    via: str | None


@dataclass(frozen=True, slots=True)
class SchemePlan:
    """One scheme of the policy, resolved."""

    info: SchemeInfo
    name: str
    jurisdiction: str
    kinds: tuple[str, ...]
    base_units: int
    grades: tuple[str, ...]  # best first
    mins: tuple[int | None, ...]  # band minima in units, one per band, best band first
    rank: dict[str, int]  # grade -> its index in ``grades``
    consent: bool
    adult: bool = False  # eligibility: 18 or over on the day (engine/scope.py)
    min_residence_days: int = 0  # eligibility: placed there at least this many days

    @property
    def min_units(self) -> tuple[int, ...]:
        """The band minima that are set (every band but the last, for a linted pack)."""
        return tuple(low for low in self.mins if low is not None)

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


@dataclass
class Needs:
    """What the rules read from one attribute (by name, over all categories)."""

    string: bool = False
    number: bool = False
    key: bool = False


@dataclass(frozen=True)
class Plan:
    """What evaluation needs from a PolicySet, resolved once."""

    schemes: tuple[SchemePlan, ...]
    rules: tuple[RulePlan, ...]
    own_rules: dict[str, tuple[RulePlan, ...]]  # by category, rules without `via`
    via_rules: dict[str, tuple[RulePlan, ...]]  # by category, rules with `via`
    case_keys: dict[str, str | None]  # category -> case_key attribute, every category
    read_case_keys: dict[str, str]  # the same for the categories rules read, when set
    category_sector: dict[str, str]  # category -> its declared sector
    sector_minimum: dict[str, int]
    categories: tuple[str, ...]  # every category whose effective records are read
    enders: frozenset[str]  # categories some rule's `ended_by` names
    role_categories: dict[str, str]  # role -> registry category, for the roles rules use
    attributes: dict[str, Needs] = field(default_factory=dict)

    @property
    def ender_categories(self) -> tuple[str, ...]:
        return tuple(sorted(self.enders))

    @property
    def consent_schemes(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.schemes if s.consent)

    def attribute_index(self, name: str) -> int:
        return list(self.attributes).index(name)

    def org_categories(self) -> frozenset[str]:
        """Categories of an organisation's records that role rules read."""
        out = set(self.via_rules)
        out.update(e for rules in self.via_rules.values() for r in rules for e in r.ended_by)
        out.update(self.role_categories.values())
        out.update(ENGINE_CATEGORIES)  # suspensions and repairs (step 3)
        return frozenset(out)


_PLANS: weakref.WeakKeyDictionary[PolicySet, Plan] = weakref.WeakKeyDictionary()


def plan_for(policy: PolicySet) -> Plan:
    """The plan of a policy (built on first use, cached per PolicySet)."""
    plan = _PLANS.get(policy)
    if plan is None:
        plan = _PLANS[policy] = make_plan(policy)
    return plan


def _scheme(info: SchemeInfo) -> SchemePlan:
    scheme = info.scheme
    grades = tuple(b.grade for b in scheme.bands)
    return SchemePlan(
        info=info,
        name=info.name,
        jurisdiction=info.jurisdiction,
        kinds=tuple(scheme.subjects),
        base_units=to_units(scheme.base),
        grades=grades,
        mins=tuple(None if b.min is None else to_units(b.min) for b in scheme.bands),
        rank={g: i for i, g in enumerate(grades)},
        consent=scheme.consent,
        adult=bool(scheme.eligibility and scheme.eligibility.adult),
        min_residence_days=scheme.eligibility.min_residence_days if scheme.eligibility else 0,
    )


def _rule(policy: PolicySet, info: RuleInfo, scheme: SchemePlan) -> RulePlan:
    rule = info.rule
    cap = rule.grade_cap
    return RulePlan(
        info=info,
        order=info.order,
        id=rule.id,
        scheme=rule.scheme,
        category=rule.category,
        when=rule.when,
        points=float(rule.points),
        per=rule.per,
        domain=info.domain,
        effect_days=info.effect_days,
        days=policy.effect_days(info, None),
        record_sector=info.category.sector is None,
        ended_by=tuple(rule.ended_by),
        half_life=rule.decay.half_life_days if rule.decay else None,
        repeat=rule.repeat.multiplier if rule.repeat else None,
        cap=cap,
        cap_rank=scheme.grades.index(cap) if cap in scheme.grades else None,
        via=rule.via,
    )


def make_plan(policy: PolicySet) -> Plan:
    """The plan of a policy, built afresh (:func:`plan_for` caches it)."""
    schemes = tuple(_scheme(info) for info in policy.schemes.values())
    by_name = {s.name: s for s in schemes}
    needs: dict[str, Needs] = {}

    def need(name: str) -> Needs:
        return needs.setdefault(name, Needs())

    rules: list[RulePlan] = []
    own: dict[str, list[RulePlan]] = {}
    via: dict[str, list[RulePlan]] = {}
    for info in policy.rules:
        scheme = by_name.get(info.rule.scheme)
        if scheme is None:
            continue  # the lint reports a rule of an unknown scheme; nothing to evaluate
        rule = _rule(policy, info, scheme)
        rules.append(rule)
        (via if rule.via else own).setdefault(rule.category, []).append(rule)
        for name in attributes_read(rule.when):
            need(name).string = need(name).number = True
        if rule.per is not None:
            need(rule.per).number = True
    matched = sorted({r.category for r in rules})
    enders = sorted({c for r in rules for c in r.ended_by})
    roles = {r.via: ROLE_CATEGORIES[r.via] for r in rules if r.via is not None}
    case_keys = {name: cat.case_key for name, cat in policy.catalogue.categories.items()}
    read_case_keys: dict[str, str] = {}
    for name in sorted({*matched, *enders}):
        key = case_keys.get(name)
        if key is not None:
            read_case_keys[name] = key
            need(key).key = True
    sectors = {
        name: cat.sector
        for name in matched
        if (cat := policy.catalogue.categories.get(name)) is not None and cat.sector is not None
    }
    if policy.sector_minimum and any(name not in sectors for name in matched):
        need("sector").string = True
    if roles:
        need("person").string = True
        need("ended").string = True
    consent = any(s.consent for s in schemes)
    if consent:
        need("scheme").string = True
        need("given").number = True
    # every assessment is stored with the subject's area (dashboards count grades per
    # area), so placement is read whether or not a scheme's scope needs it
    for name in ("area", "since", "ended", "birth_date"):
        need(name).string = True
    categories = sorted(
        {
            *matched,
            *enders,
            *roles.values(),
            *([CONSENT_CATEGORY] if consent else []),
            *SCOPE_CATEGORIES,
        }
    )
    return Plan(
        schemes=schemes,
        rules=tuple(rules),
        own_rules={k: tuple(v) for k, v in own.items()},
        via_rules={k: tuple(v) for k, v in via.items()},
        case_keys=case_keys,
        read_case_keys=read_case_keys,
        category_sector=sectors,
        sector_minimum=dict(policy.sector_minimum),
        categories=tuple(categories),
        enders=frozenset(enders),
        role_categories=roles,
        attributes=needs,
    )


__all__ = ["Needs", "Plan", "RulePlan", "SchemePlan", "make_plan", "plan_for"]
