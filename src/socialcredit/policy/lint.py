"""The safeguards lint: what a set of packs that will be active together may not say.

Loading (``pack.load_pack``) checks each file's structure; this lint checks
what the packs mean, across packs, against the safeguards of DESIGN.md:

0. Legality and the allow-lists (:mod:`socialcredit.policy.lint_law`):
   categories within the national catalogue (or a local pack's additions),
   schemes with a basis, local schemes that only reward.
1. Own conduct only: rules read only ``conduct`` and ``amount`` attributes
   (``per``: ``amount``), the class coming from the catalogue item; a local
   addition is read only by the pack that adds it. Second line: no category,
   title, attribute, enum value, tag or rule id about a protected ground
   (:mod:`socialcredit.policy.protected`: whole tokens, camelCase, plurals,
   look-alike letters, pinyin and Chinese), and identifiers in plain ASCII.
2. Roles only: a rule may not condition on an ``identifier`` attribute (who
   another subject is); ``per`` must be numeric; ``via`` only from a category
   about organisations into a scheme that scores persons, through a role the
   catalogue records as a legal role (never kinship or association).
3. Conduct only: no rule on a ``registry``, ``supervision`` or ``remedy`` category.
4. References: scheme, category, attributes and their value types, ``per``,
   ``ended_by``, ``grade_cap``, domain, subjects, scope.
5. Nothing counts forever: effect periods within the severity limits, within
   the catalogue item's longest period, and not below a sector floor (NDRC
   Order No. 58 art. 7: 365 days for the ``NDRC_SECTORS``, or a larger
   ``sector_minimum`` of any active pack). Reward information only adds points.
6. Legality: a rule that deducts points or caps a grade cites a legal basis.
7. Points schemes may only reward (``POINTS_SCHEMES_REWARD_ONLY``): no grade
   cap in them, and they score only with consent.
8. Rule ids and scheme names are unique across the active packs.
9. Supervision outputs (:mod:`socialcredit.policy.lint_supervision`): no list or
   measure follows from a flag, a deviation, an indicator or a hold.
10. Disclosure (:mod:`socialcredit.policy.disclosure`): never a person's score or grade,
   a full resident identity number, or an attribute about a protected ground.

Every problem reads ``<pack>: <file>: <entry>: <field>: <message>``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from socialcredit.errors import PolicyError
from socialcredit.policy.catalogue import AttributeSpec, Catalogue, Category
from socialcredit.policy.disclosure import lint_disclosure
from socialcredit.policy.holds import lint_holds
from socialcredit.policy.law.allowlists import Law, category_items, shipped_law
from socialcredit.policy.law.catalogue import LEGAL_ROLES, CatalogueItem
from socialcredit.policy.lint_law import (
    attribute_problem,
    lint_additions,
    lint_categories,
    lint_scheme_law,
)
from socialcredit.policy.lint_lists import lint_lists
from socialcredit.policy.lint_names import lint_category_names
from socialcredit.policy.lint_remedies import lint_remedies
from socialcredit.policy.lint_supervision import lint_supervision
from socialcredit.policy.pack import Pack, merge_catalogue
from socialcredit.policy.predicate import All, AnyOf, Compare, Not, Predicate
from socialcredit.policy.protected import protected_ground
from socialcredit.policy.rules import ROLE_CATEGORIES, Rule

NDRC_SECTORS = ("food", "drugs", "special_equipment", "work_safety", "fire_safety")
NDRC_SECTOR_FLOOR = 365
NDRC_MAXIMUM = 1095
ORGANISATIONS = ("enterprise", "institution")
POINTS_SCHEMES_REWARD_ONLY = (
    "a points scheme may only reward: no grade cap, black list or punishing measure may "
    "follow from its score or grade (Rongzhengfa [2021] No. 3: a low score alone never "
    "triggers a penalty)"
)
_NUMERIC = ("integer", "number")
_ORDERED = ("integer", "number", "date")


def points_schemes(packs: Iterable[Pack]) -> set[str]:
    """Names of the ``kind: points`` schemes: their grades may trigger no punishment."""
    return {n for p in packs for n, s in p.scoring.schemes.items() if s.kind == "points"}


def lint_packs(packs: Sequence[Pack], law: Law | None = None) -> list[str]:
    """Every safeguards problem of a set of packs active together; empty when fine.

    ``law``: the allow-lists to check against (default: the platform's)."""
    law = law or shipped_law()
    problems: list[str] = []
    try:
        catalogue = merge_catalogue(packs)
    except PolicyError as exc:
        problems.extend(exc.problems)
        merged: dict[str, Category] = {}
        for pack in packs:
            for name, cat in pack.categories.items():
                merged.setdefault(name, cat)
        catalogue = Catalogue(merged)
    floors = _sector_floors(packs)
    items = category_items(packs, law)
    local = _local_categories(packs, law)
    problems.extend(_unique_ids(packs))
    for pack in packs:
        problems.extend(lint_categories(pack, law))
        problems.extend(lint_additions(pack, law))
        problems.extend(lint_category_names(pack, items))
        problems.extend(_lint_periods(pack))
        problems.extend(_lint_schemes(pack))
        for i, rule in enumerate(pack.scoring.rules):
            where = f"{pack.name}: scoring.yaml: rules[{i}] ({rule.id})"
            found = _lint_rule(pack, rule, catalogue, floors, items)
            problems.extend(f"{where}: {p}" for p in found)
            owner = local.get(rule.category)
            if owner is not None and owner != pack.name:
                problems.append(
                    f"{where}: category: '{rule.category}' is information pack {owner} adds "
                    "locally: only that pack may read it"
                )
    problems.extend(lint_lists(packs, law))  # lists.yaml and measures.yaml (lint_lists.py)
    problems.extend(lint_remedies(packs))  # remedies.yaml (lint_remedies.py)
    problems.extend(lint_supervision(packs))  # no list or measure on supervision outputs
    problems.extend(lint_holds(packs, catalogue))  # holds.yaml (holds.py)
    for pack in packs:
        problems.extend(lint_disclosure(pack))  # disclosure.yaml (disclosure.py)
    return problems


def _unique_ids(packs: Sequence[Pack]) -> Iterator[str]:
    rules: dict[str, str] = {}
    schemes: dict[str, str] = {}
    for pack in packs:
        for name in pack.scoring.schemes:
            if name in schemes:
                yield f"{pack.name}: scoring.yaml: schemes.{name}: name: also in {schemes[name]}"
            schemes.setdefault(name, f"pack {pack.name}")
        for i, rule in enumerate(pack.scoring.rules):
            entry = f"rules[{i}] ({rule.id})"
            if rule.id in rules:
                yield f"{pack.name}: scoring.yaml: {entry}: id: also used by {rules[rule.id]}"
            rules.setdefault(rule.id, f"{pack.name} {entry}")


def _local_categories(packs: Sequence[Pack], law: Law) -> dict[str, str]:
    """Categories whose item is a local addition, and the pack that adds it."""
    out: dict[str, str] = {}
    for pack in packs:
        for name, cat in pack.categories.items():
            item = cat.catalogue_item or ""
            if item not in law.catalogue and pack.additions and item in pack.additions.catalogue:
                out.setdefault(name, pack.name)
    return out


def _lint_periods(pack: Pack) -> Iterator[str]:
    where = f"{pack.name}: scoring.yaml: effect_periods"
    for sector, days in pack.scoring.effect_periods.sector_minimum.items():
        low = NDRC_SECTOR_FLOOR if sector in NDRC_SECTORS else 0
        if not low <= days <= NDRC_MAXIMUM:
            yield f"{where}: sector_minimum.{sector}: {days} days is outside {low}..{NDRC_MAXIMUM}"


def _lint_schemes(pack: Pack) -> Iterator[str]:
    for name, scheme in pack.scoring.schemes.items():
        where = f"{pack.name}: scoring.yaml: schemes.{name}"
        yield from (f"{where}: {p}" for p in lint_scheme_law(pack, scheme))
        if ground := protected_ground(name) or protected_ground(scheme.title):
            yield f"{where}: name: concerns a protected ground: {ground}"
        outside = [k for k in scheme.subjects if k not in pack.meta.scope]
        if outside:
            yield f"{where}: subjects: {outside} outside the pack's scope {list(pack.meta.scope)}"
        if scheme.kind == "points" and not scheme.consent:
            yield f"{where}: consent: a points scheme scores only residents who consent"


def _sector_floors(packs: Sequence[Pack]) -> dict[str, tuple[int, str]]:
    floors = {s: (NDRC_SECTOR_FLOOR, "NDRC Order No. 58 art. 7") for s in NDRC_SECTORS}
    for pack in packs:
        for sector, days in pack.scoring.effect_periods.sector_minimum.items():
            if days > floors.get(sector, (0, ""))[0]:
                floors[sector] = (days, f"{pack.name}: effect_periods.sector_minimum")
    return floors


def _lint_rule(
    pack: Pack,
    rule: Rule,
    catalogue: Catalogue,
    floors: dict[str, tuple[int, str]],
    items: dict[str, CatalogueItem],
) -> Iterator[str]:
    if ground := protected_ground(rule.id):
        yield f"id: concerns a protected ground: {ground}"
    scheme = pack.scoring.schemes.get(rule.scheme)
    if scheme is None:
        yield f"scheme: no scheme '{rule.scheme}' in pack {pack.name}"
    elif rule.grade_cap is not None:
        grades = [b.grade for b in scheme.bands]
        if rule.grade_cap not in grades:
            yield f"grade_cap: '{rule.grade_cap}' is not a grade of '{scheme.name}' {grades}"
        if scheme.kind == "points":
            yield f"grade_cap: {POINTS_SCHEMES_REWARD_ONLY}; a grade cap punishes by grade"
    for ender in rule.ended_by:
        if ender not in catalogue:
            yield f"ended_by: no category '{ender}' in the active packs"
    cat = catalogue.categories.get(rule.category)
    if cat is None:
        if ground := protected_ground(rule.category):
            yield f"category: reads protected category '{rule.category}' ({ground})"
        yield f"category: no category '{rule.category}' in the active packs"
        return
    if ground := protected_ground(cat.name, cat.tags):
        yield f"category: reads protected category '{cat.name}' ({ground})"
    if cat.kind != "conduct":
        yield f"category: '{cat.name}' is a {cat.kind} category: only conduct is scored"
    if rule.domain is None and cat.domain is None:
        yield f"domain: neither the rule nor category '{cat.name}' names a domain"
    if (rule.points < 0 or rule.grade_cap) and not (rule.legal_basis or cat.legal_basis):
        yield "legal_basis: a rule that deducts points or caps a grade needs a legal basis"
    item = items.get(cat.name)
    if item is not None and item.kind == "reward" and rule.points < 0:
        yield f"points: '{cat.name}' records reward information: a rule on it only adds points"
    if scheme is not None:
        yield from _lint_subjects(rule, cat, scheme.name, scheme.subjects, catalogue, items)
    yield from _lint_when(rule.when, "when", cat, item)
    if rule.per is not None:
        yield from _lint_per(rule.per, cat, item)
    yield from _lint_ended_by(rule, cat, catalogue)
    yield from _lint_effect(pack, rule, cat, floors, item)


def _lint_subjects(
    rule: Rule,
    cat: Category,
    scheme: str,
    subjects: tuple[str, ...],
    catalogue: Catalogue,
    items: dict[str, CatalogueItem],
) -> Iterator[str]:
    if rule.via is None:
        if not set(cat.subjects) & set(subjects):
            yield (
                f"category: '{cat.name}' is about {list(cat.subjects)}, "
                f"scheme '{scheme}' scores {list(subjects)}"
            )
        return
    if "person" not in subjects:
        yield f"via: a role scores a person, scheme '{scheme}' scores no persons"
    orgs = set(cat.subjects) & set(ORGANISATIONS)
    if not orgs:
        yield f"via: category '{cat.name}' is not about organisations (enterprise/institution)"
    role_cat = catalogue.categories.get(ROLE_CATEGORIES[rule.via])
    if role_cat is None:
        yield f"via: no category '{ROLE_CATEGORIES[rule.via]}' records who holds the role"
    elif orgs and not orgs & set(role_cat.subjects):
        yield f"via: no {rule.via} is recorded for {sorted(orgs)}"
    role_item = items.get(ROLE_CATEGORIES[rule.via])
    person = role_item.attributes.get("person") if role_item is not None else None
    if role_cat is not None and (person is None or not set(person.role) & set(LEGAL_ROLES)):
        yield (
            f"via: '{ROLE_CATEGORIES[rule.via]}' does not record a legal role "
            f"({', '.join(LEGAL_ROLES)}) in its catalogue item"
        )


def _compares(pred: Predicate | None, path: str) -> Iterator[tuple[str, Compare]]:
    if isinstance(pred, Compare):
        yield path, pred
    elif isinstance(pred, All):
        for i, p in enumerate(pred.all):
            yield from _compares(p, f"{path}.all[{i}]")
    elif isinstance(pred, AnyOf):
        for i, p in enumerate(pred.any):
            yield from _compares(p, f"{path}.any[{i}]")
    elif isinstance(pred, Not):
        yield from _compares(pred.not_, f"{path}.not")


def _lint_when(
    pred: Predicate | None, path: str, cat: Category, item: CatalogueItem | None
) -> Iterator[str]:
    for where, cmp in _compares(pred, path):
        spec = cat.attributes.get(cmp.attr)
        if ground := protected_ground(cmp.attr, spec.tags if spec else ()):
            yield f"{where}.attr: reads protected attribute '{cmp.attr}' ({ground})"
        if problem := attribute_problem(item, cmp.attr, "rule"):
            yield f"{where}.attr: {problem}"
        if spec is None:
            yield f"{where}.attr: category '{cat.name}' declares no attribute '{cmp.attr}'"
            continue
        if spec.type == "identifier":
            yield (
                f"{where}.attr: reads identifier attribute '{cmp.attr}': a rule may not "
                "condition on who another subject is"
            )
            continue
        op = cmp.op
        if op in ("lt", "lte", "gt", "gte") and spec.type not in _ORDERED:
            yield f"{where}.{op}: only integer, number or date attributes are ordered"
        elif op != "exists":
            values = cmp.value if op == "in" else (cmp.value,)
            for value in values:
                if problem := _value_problem(spec, value):
                    yield f"{where}.{op}: {value!r} {problem}"


def _value_problem(spec: AttributeSpec, value: Any) -> str | None:
    if spec.type in _NUMERIC:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return None if ok else f"is not a number ({spec.type} attribute)"
    if spec.type == "boolean":
        return None if isinstance(value, bool) else "is not a boolean"
    if spec.type == "enum":
        if value in (spec.values or ()) and isinstance(value, str):
            return None
        return f"is not one of the enum's values {list(spec.values or ())}"
    if spec.type == "date":
        try:
            dt.date.fromisoformat(value)
        except (TypeError, ValueError):
            return "is not an ISO date"
        return None
    return None if isinstance(value, str) else "is not a string"


def _lint_per(per: str, cat: Category, item: CatalogueItem | None) -> Iterator[str]:
    spec = cat.attributes.get(per)
    if ground := protected_ground(per, spec.tags if spec else ()):
        yield f"per: reads protected attribute '{per}' ({ground})"
    if problem := attribute_problem(item, per, "rule", amounts_only=True):
        yield f"per: {problem}"
    if spec is None:
        yield f"per: category '{cat.name}' declares no attribute '{per}'"
    elif spec.type not in _NUMERIC:
        yield f"per: '{per}' is a {spec.type} attribute, not a number"
    elif not spec.required:
        yield f"per: '{per}' is not a required attribute of '{cat.name}'"


def _lint_ended_by(rule: Rule, cat: Category, catalogue: Catalogue) -> Iterator[str]:
    for ender in rule.ended_by:
        other = catalogue.categories.get(ender)
        if other is not None and (cat.case_key is None or other.case_key is None):
            yield (
                f"ended_by: '{cat.name}' and '{ender}' must both name a case_key "
                "for an ending record to share the act"
            )


def _lint_effect(
    pack: Pack,
    rule: Rule,
    cat: Category,
    floors: dict[str, tuple[int, str]],
    item: CatalogueItem | None,
) -> Iterator[str]:
    periods = pack.scoring.effect_periods
    floor, source = floors.get(cat.sector or "", (0, ""))
    if item is not None and item.max_days is not None:
        days = rule.effect_days if rule.effect_days is not None else getattr(periods, cat.severity)
        if days > item.longest_days():
            yield (
                f"effect_days: {days} days is longer than catalogue item '{item.id}' lets "
                f"the information count ({item.longest_days()})"
            )
    if rule.effect_days is not None:
        low, high = periods.limits(cat.severity)
        if not low <= rule.effect_days <= high:
            yield (
                f"effect_days: {rule.effect_days} is outside {low}..{high} "
                f"for a {cat.severity} category"
            )
        if rule.effect_days < floor:
            yield (
                f"effect_days: {rule.effect_days} is below the {cat.sector} sector "
                f"minimum of {floor} days ({source})"
            )
        return
    days = max(
        getattr(periods, cat.severity),
        periods.sector_minimum.get(cat.sector or "", 0),
    )
    if days < floor:
        yield (
            f"effect_days: the pack's default of {days} days is below the {cat.sector} "
            f"sector minimum of {floor} days ({source}); set effect_days or sector_minimum"
        )
