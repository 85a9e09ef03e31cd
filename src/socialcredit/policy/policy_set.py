"""The active policy: several packs combined into what the engines evaluate.

Both engines read the same resolved view: schemes with the jurisdiction of
their pack, rules in a global order with their domain, act key attribute and
effect period resolved, and the sector minima over all packs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from socialcredit.policy.catalogue import Catalogue, Category, Domain
from socialcredit.policy.disclosure import Disclosure, effective
from socialcredit.policy.law.actions import action_catalogue
from socialcredit.policy.lists import ListDef, MeasureDef
from socialcredit.policy.pack import Pack, merge_catalogue
from socialcredit.policy.rules import Rule, Scheme


@dataclass(frozen=True)
class SchemeInfo:
    scheme: Scheme
    pack: str
    version: str
    jurisdiction: str  # 'national' or a GB/T 2260 code

    @property
    def name(self) -> str:
        return self.scheme.name


@dataclass(frozen=True)
class RuleInfo:
    rule: Rule
    order: int  # position in the global rule order (packs in activation order)
    pack: str
    category: Category
    domain: Domain
    effect_days: int  # before any sector minimum

    @property
    def id(self) -> str:
        return self.rule.id


@dataclass(frozen=True)
class ListInfo:
    """A red or black list with the pack that declares it."""

    definition: ListDef
    pack: str
    version: str
    jurisdiction: str  # the pack's: a list applies to subjects it covers

    @property
    def name(self) -> str:
        return self.definition.name


@dataclass(frozen=True)
class MeasureInfo:
    """A measure with the pack that declares it."""

    definition: MeasureDef
    pack: str
    version: str
    jurisdiction: str  # the pack's: a measure applies to subjects it covers

    @property
    def name(self) -> str:
        return self.definition.name


def covers(jurisdiction: str, area: str) -> bool:
    """Whether a pack's jurisdiction covers a subject's area code (docs/engine.md step 4)."""
    if jurisdiction == "national":
        return True
    if jurisdiction.endswith("0000"):
        return area.startswith(jurisdiction[:2])
    if jurisdiction.endswith("00"):
        return area.startswith(jurisdiction[:4])
    return area == jurisdiction


class PolicySet:
    """The packs active together, resolved for evaluation."""

    def __init__(self, packs: Sequence[Pack]) -> None:
        self.packs = tuple(packs)
        self.catalogue: Catalogue = merge_catalogue(self.packs)
        self.schemes: dict[str, SchemeInfo] = {}
        rules: list[RuleInfo] = []
        for pack in self.packs:
            for name, scheme in pack.scoring.schemes.items():
                self.schemes[name] = SchemeInfo(
                    scheme, pack.name, pack.version, pack.meta.jurisdiction
                )
            periods = pack.scoring.effect_periods
            for rule in pack.scoring.rules:
                if rule.category not in self.catalogue:
                    continue  # the lint reports it; nothing to evaluate
                category = self.catalogue[rule.category]
                domain = rule.domain or category.domain
                if domain is None:
                    continue
                days = (
                    rule.effect_days
                    if rule.effect_days is not None
                    else getattr(periods, category.severity)
                )
                rules.append(RuleInfo(rule, len(rules), pack.name, category, domain, int(days)))
        self.rules: tuple[RuleInfo, ...] = tuple(rules)
        minima: dict[str, int] = {}
        for pack in self.packs:
            for sector, days in pack.scoring.effect_periods.sector_minimum.items():
                minima[sector] = max(minima.get(sector, 0), days)
        self.sector_minimum = minima
        self.disclosure: Disclosure = effective(self.packs)
        # lists and measures by name (a later pack's entry of the same name wins; the
        # lint refuses duplicates)
        self.lists: dict[str, ListInfo] = {}
        self.measures: dict[str, MeasureInfo] = {}
        for pack in self.packs:
            where = (pack.name, pack.version, pack.meta.jurisdiction)
            for name, definition in pack.lists.items():
                self.lists[name] = ListInfo(definition, *where)
            for name, measure in pack.measures.items():
                self.measures[name] = MeasureInfo(measure, *where)

    @cached_property
    def rules_by_category(self) -> dict[str, tuple[RuleInfo, ...]]:
        out: dict[str, list[RuleInfo]] = {}
        for info in self.rules:
            out.setdefault(info.rule.category, []).append(info)
        return {k: tuple(v) for k, v in out.items()}

    def rules_of(self, scheme: str) -> tuple[RuleInfo, ...]:
        return tuple(r for r in self.rules if r.rule.scheme == scheme)

    def effect_days(self, info: RuleInfo, record_sector: str | None) -> int:
        """The rule's effect period for one record, with any sector minimum applied."""
        sector = info.category.sector or record_sector
        if sector is None:
            return info.effect_days
        return max(info.effect_days, self.sector_minimum.get(sector, 0))

    @cached_property
    def actions(self) -> frozenset[str]:
        """The action codes a check may ask about under this policy: the national
        catalogue (``policy/law/actions.yaml``) and every action a measure names."""
        named = {a for m in self.measures.values() for a in m.definition.actions}
        return frozenset(action_catalogue()) | named

    @cached_property
    def version(self) -> str:
        """Identifies this combination of pack versions: 'national@2026.1+…'."""
        return "+".join(f"{p.name}@{p.version}" for p in self.packs)

    @cached_property
    def digest(self) -> str:
        h = hashlib.sha256()
        for pack in self.packs:
            for name, text in sorted(pack.files.items()):
                h.update(f"{pack.name}/{name}\x00{text}\x00".encode())
        return h.hexdigest()
