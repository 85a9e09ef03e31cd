"""The remedies lint: what ``remedies.yaml`` may not say, across the active packs.

1. References: repair entries name categories (or patterns matching one) and
   lists of the active packs; records and categories repaired are conduct;
   red lists are not repaired (there is nothing to repair); a ``fulfilment``
   requirement names the categories that show it, and they exist.
2. Sane bounds (NDRC Order No. 58 and the Credit Repair Measures 2025): the
   minimum period before repair is within the severity's display period
   (minor 0..90 days, general 90..365, serious 365..1095); a sector minimum
   is at most 1095 days and, for the sectors of art. 7, at least 365; a list
   entry's minimum is shorter than the list's longest term.
3. A second reviewer: appeals are decided by another role than objections.
4. Remedies act only through docs/remedies.md: no scoring rule's ``ended_by``
   and no list's ``removal`` names a ``remedy`` category, and the lint of
   rules and lists already refuses scoring or listing on one.

Every problem reads ``<pack>: remedies.yaml: <entry>: <field>: <message>``.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator, Sequence

from socialcredit.errors import PolicyError
from socialcredit.policy.catalogue import Catalogue, Category
from socialcredit.policy.lists import ListDef
from socialcredit.policy.pack import Pack, merge_catalogue
from socialcredit.policy.remedies import FILE, RemedySettings, RepairRule

NDRC_SECTORS = ("food", "drugs", "special_equipment", "work_safety", "fire_safety")
SECTOR_FLOOR = 365
MAXIMUM_DAYS = 1095  # NDRC Order No. 58: display stops automatically after 3 years
SEVERITY_BOUNDS = {"minor": (0, 90), "general": (90, 365), "serious": (365, 1095)}


def lint_remedies(packs: Sequence[Pack]) -> list[str]:
    """Every problem of the remedies settings of packs active together; empty when fine."""
    catalogue = _catalogue(packs)
    lists = {n: d for p in packs for n, d in p.lists.items()}
    problems: list[str] = []
    for pack in packs:
        problems.extend(_remedy_inputs(pack, catalogue))
        if pack.remedies is not None:
            found = _lint_settings(pack.remedies, catalogue, lists)
            problems.extend(f"{pack.name}: {FILE}: {p}" for p in found)
    return problems


def _catalogue(packs: Sequence[Pack]) -> Catalogue:
    try:
        return merge_catalogue(packs)
    except PolicyError:  # the safeguards lint reports the disagreement
        merged: dict[str, Category] = {}
        for pack in packs:
            for name, cat in pack.categories.items():
                merged.setdefault(name, cat)
        return Catalogue(merged)


def _is_remedy(catalogue: Catalogue, name: str) -> bool:
    cat = catalogue.categories.get(name)
    return cat is not None and cat.kind == "remedy"


def _remedy_inputs(pack: Pack, catalogue: Catalogue) -> Iterator[str]:
    message = "is a remedy category: remedies act only as docs/remedies.md says"
    for i, rule in enumerate(pack.scoring.rules):
        for ender in rule.ended_by:
            if _is_remedy(catalogue, ender):
                where = f"{pack.name}: scoring.yaml: rules[{i}] ({rule.id})"
                yield f"{where}: ended_by: '{ender}' {message}"
    for name, ld in pack.lists.items():
        for removal in ld.removal_categories:
            if _is_remedy(catalogue, removal):
                yield f"{pack.name}: lists.yaml: {name}: removal.categories: '{removal}' {message}"


def _lint_settings(
    settings: RemedySettings, catalogue: Catalogue, lists: dict[str, ListDef]
) -> Iterator[str]:
    if settings.reviewers.appeal == settings.reviewers.objection:
        yield (
            "reviewers: appeal: appeals go to a second reviewer, not the role that decides "
            f"objections ({settings.reviewers.objection!r})"
        )
    repair = settings.repair
    for severity, rule in repair.records.items():
        where = f"repair.records.{severity}"
        low, high = SEVERITY_BOUNDS[severity]
        yield from _bounds(where, rule, low, high)
        yield from _requirements(where, rule, catalogue)
    for sector, days in repair.sector_minimum.items():
        low = SECTOR_FLOOR if sector in NDRC_SECTORS else 0
        if not low <= days <= MAXIMUM_DAYS:
            yield f"repair.sector_minimum.{sector}: {days} days is outside {low}..{MAXIMUM_DAYS}"
    for name, rule in repair.categories.items():
        yield from _lint_category(name, rule, catalogue)
    for name, rule in repair.lists.items():
        yield from _lint_list(name, rule, lists, catalogue)


def _bounds(where: str, rule: RepairRule, low: int, high: int) -> Iterator[str]:
    if rule.min_days is not None and not low <= rule.min_days <= high:
        yield f"{where}: min_days: {rule.min_days} is outside {low}..{high}"


def _requirements(where: str, rule: RepairRule, catalogue: Catalogue) -> Iterator[str]:
    if "fulfilment" in rule.requires and not rule.fulfilment_categories:
        yield (
            f"{where}: fulfilment_categories: a fulfilment requirement names the "
            "categories of record that show it"
        )
    for name in rule.fulfilment_categories:
        if name not in catalogue:
            yield f"{where}: fulfilment_categories: no category '{name}' in the active packs"


def _lint_category(name: str, rule: RepairRule, catalogue: Catalogue) -> Iterator[str]:
    where = f"repair.categories.{name}"
    matched = [c for c in catalogue.names() if fnmatch.fnmatchcase(c, name)]
    if not matched:
        yield f"{where}: no category matches '{name}' in the active packs"
        return
    for cat in (catalogue[c] for c in matched):
        if cat.kind != "conduct" and name == cat.name:
            yield f"{where}: '{cat.name}' is a {cat.kind} category: only conduct is repaired"
        elif rule.repairable and cat.severity in SEVERITY_BOUNDS and cat.kind == "conduct":
            low, high = SEVERITY_BOUNDS[cat.severity]
            if rule.min_days is not None and not low <= rule.min_days <= high:
                yield (
                    f"{where}: min_days: {rule.min_days} is outside {low}..{high} for the "
                    f"{cat.severity} category '{cat.name}'"
                )
    yield from _requirements(where, rule, catalogue)


def _lint_list(
    name: str, rule: RepairRule, lists: dict[str, ListDef], catalogue: Catalogue
) -> Iterator[str]:
    where = f"repair.lists.{name}"
    ld = lists.get(name)
    if ld is None:
        yield f"{where}: no list '{name}' in the active packs"
        return
    if ld.kind != "black" and rule.repairable:
        yield f"{where}: '{name}' is a {ld.kind} list: only black lists are repaired"
    if ld.grade_based and rule.repairable:
        yield f"{where}: '{name}' is grade-based: it ends when the grade changes"
    longest = ld.longest_days() if ld.term is not None else None
    if rule.min_days is not None and longest is not None and rule.min_days >= longest:
        yield (
            f"{where}: min_days: {rule.min_days} is not shorter than the list's longest "
            f"term ({longest} days): the entry would end first"
        )
    yield from _requirements(where, rule, catalogue)
