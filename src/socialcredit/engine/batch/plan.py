"""The active policy resolved into the constants the SQL needs.

Everything here is plain data computed in Python once per run: rules in their
global order with points, domain, effect period and grade cap rank; schemes
with base and band thresholds in units; which attributes of which categories
the rules read, and how (string, number, act key).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from socialcredit.engine.model import to_units
from socialcredit.engine.scope import SCOPE_CATEGORIES
from socialcredit.policy.policy_set import PolicySet
from socialcredit.policy.predicate import Predicate, attributes_read
from socialcredit.policy.rules import ROLE_CATEGORIES

CONSENT_CATEGORY = "registry.consent"


@dataclass(frozen=True)
class RulePlan:
    order: int  # position in the global rule order: the last tie-break of step 7
    id: str
    scheme: str
    category: str
    when: Predicate | None
    points: float
    per: str | None
    domain: str
    effect_days: int  # before any sector minimum
    ended_by: tuple[str, ...]
    half_life: float | None
    repeat: float | None
    cap_rank: int | None  # rank of the grade cap in the scheme's bands (0 = best)
    via: str | None


@dataclass(frozen=True)
class SchemePlan:
    name: str
    jurisdiction: str
    kinds: tuple[str, ...]
    base_units: int
    grades: tuple[str, ...]  # best first
    min_units: tuple[int, ...]  # one per band but the last
    consent: bool
    adult: bool = False  # eligibility: 18 or over on the day (engine/scope.py)
    min_residence_days: int = 0  # eligibility: placed there at least this many days

    @property
    def placed(self) -> bool:
        """Whether the scheme's scope reads the subjects' registry records."""
        return self.jurisdiction != "national" or self.adult or self.min_residence_days > 0


@dataclass
class Needs:
    """What the rules read from one attribute (by name, over all categories)."""

    string: bool = False
    number: bool = False
    key: bool = False


@dataclass(frozen=True)
class Plan:
    schemes: tuple[SchemePlan, ...]
    rules: tuple[RulePlan, ...]
    case_keys: dict[str, str]  # category -> case_key attribute, for the categories read
    category_sector: dict[str, str]  # category -> its declared sector
    sector_minimum: dict[str, int]
    categories: tuple[str, ...]  # every category whose effective records are read
    ender_categories: tuple[str, ...]
    role_categories: dict[str, str]  # role -> registry category, for the roles rules use
    attributes: dict[str, Needs] = field(default_factory=dict)

    @property
    def scoped(self) -> bool:
        """Whether some scheme's scope reads residence, registration or birth records."""
        return any(s.placed for s in self.schemes)

    @property
    def consent_schemes(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.schemes if s.consent)

    def attribute_index(self, name: str) -> int:
        return list(self.attributes).index(name)


def make_plan(policy: PolicySet) -> Plan:
    schemes = tuple(
        SchemePlan(
            name=name,
            jurisdiction=info.jurisdiction,
            kinds=tuple(info.scheme.subjects),
            base_units=to_units(info.scheme.base),
            grades=tuple(b.grade for b in info.scheme.bands),
            min_units=tuple(to_units(b.min) for b in info.scheme.bands if b.min is not None),
            consent=info.scheme.consent,
            adult=bool(info.scheme.eligibility and info.scheme.eligibility.adult),
            min_residence_days=(
                info.scheme.eligibility.min_residence_days if info.scheme.eligibility else 0
            ),
        )
        for name, info in policy.schemes.items()
    )
    grades = {s.name: s.grades for s in schemes}
    needs: dict[str, Needs] = {}

    def need(name: str) -> Needs:
        return needs.setdefault(name, Needs())

    rules: list[RulePlan] = []
    for info in policy.rules:
        rule = info.rule
        if rule.scheme not in grades:
            continue  # the lint reports a rule of an unknown scheme; nothing to evaluate
        cap = rule.grade_cap
        rules.append(
            RulePlan(
                order=info.order,
                id=rule.id,
                scheme=rule.scheme,
                category=rule.category,
                when=rule.when,
                points=float(rule.points),
                per=rule.per,
                domain=info.domain,
                effect_days=info.effect_days,
                ended_by=tuple(rule.ended_by),
                half_life=rule.decay.half_life_days if rule.decay else None,
                repeat=rule.repeat.multiplier if rule.repeat else None,
                cap_rank=grades[rule.scheme].index(cap) if cap in grades[rule.scheme] else None,
                via=rule.via,
            )
        )
        for name in attributes_read(rule.when):
            need(name).string = need(name).number = True
        if rule.per is not None:
            need(rule.per).number = True
    matched = sorted({r.category for r in rules})
    enders = sorted({c for r in rules for c in r.ended_by})
    roles = {r.via: ROLE_CATEGORIES[r.via] for r in rules if r.via is not None}
    case_keys: dict[str, str] = {}
    for name in sorted({*matched, *enders}):
        category = policy.catalogue.categories.get(name)
        if category is not None and category.case_key is not None:
            case_keys[name] = category.case_key
            need(category.case_key).key = True
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
    scoped = any(s.placed for s in schemes)
    if scoped:
        for name in ("area", "since", "ended", "birth_date"):
            need(name).string = True
    categories = sorted(
        {
            *matched,
            *enders,
            *roles.values(),
            *([CONSENT_CATEGORY] if consent else []),
            *(SCOPE_CATEGORIES if scoped else ()),
        }
    )
    return Plan(
        schemes=schemes,
        rules=tuple(rules),
        case_keys=case_keys,
        category_sector=sectors,
        sector_minimum=dict(policy.sector_minimum),
        categories=tuple(categories),
        ender_categories=tuple(enders),
        role_categories=roles,
        attributes=needs,
    )
