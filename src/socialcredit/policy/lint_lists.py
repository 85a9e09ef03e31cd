"""The lists and measures lint: what ``lists.yaml`` and ``measures.yaml`` may not say.

Loading (:mod:`socialcredit.policy.lists`) checks structure; this lint checks
meaning, across the packs active together (``docs/lists.md``):

1. Legality: every list and measure cites a legal basis of the registry, at
   the level the list or measure needs, and stays within the national
   allow-lists (:mod:`socialcredit.policy.lint_law`); a measure names the
   agencies that enforce it and uses only catalogued actions.
2. Notice ("warn before punishing"): a black list with ``notice_days: 0``
   cites ``zero_notice_basis``; notice lasts at most ``MAX_NOTICE_DAYS``.
3. Nothing lasts forever: a record-based list has a term; ``until_removed``
   needs ``max_days``, a fixed term needs ``days``, both within
   ``1..MAX_TERM_DAYS`` and within the catalogue items of the entry
   categories; a per-case extension is an integer attribute the item bounds.
4. No punishment on a score: a black list is triggered only by records of
   named categories, never by a grade of any scheme; a red list on grades
   names the best grades only, all above the grade of a subject with no
   records; punishing effects (deny, restrict, review) follow only from black
   lists, rewarding ones (privilege, discount) only from red lists.
5. Proportionality: a punishing measure follows only lists whose information
   its Basic List item names in ``triggers``; a reward follows lists of its
   ``domains``.
6. Targets beyond the subject (legal representative, principal managers,
   directly responsible persons, actual controller) need a legal basis and a
   list that lists organisations.
7. References: entry and removal categories exist and are conduct; ``when``
   reads declared conduct and amount attributes, never an identifier or a
   protected ground (names and titles of lists and measures, action codes);
   grade entries name a scheme and its grades; measure lists exist; action
   codes read ``area.thing[.more]``.
8. List and measure names are unique across the active packs.

Every problem reads ``<pack>: <file>: <entry>: <field>: <message>``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from socialcredit.errors import PolicyError
from socialcredit.policy.catalogue import Catalogue, Category
from socialcredit.policy.law.allowlists import Law, category_items, shipped_law
from socialcredit.policy.law.catalogue import CatalogueItem
from socialcredit.policy.lint_law import attribute_problem, lint_list_law, lint_measure_law
from socialcredit.policy.lists import (
    PUNISHING,
    REWARDING,
    ROLE_TARGETS,
    ListDef,
    MeasureDef,
    Term,
)
from socialcredit.policy.pack import Pack, merge_catalogue
from socialcredit.policy.predicate import All, AnyOf, Compare, Not, Predicate
from socialcredit.policy.protected import lookalike, protected_ground
from socialcredit.policy.rules import Scheme

MAX_NOTICE_DAYS = 90  # Fa Fa [2019] No. 35: a grace period of one to three months
# five years: the longest negative information is kept (Credit Reporting Regulation 2013 art. 16)
MAX_TERM_DAYS = 1825
ACTION_CODE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
ORGANISATIONS = ("enterprise", "institution")
POINTS_REWARD_ONLY = (
    "a points scheme may only reward (Rongzhengfa [2021] No. 3: a low score alone never "
    "triggers a penalty)"
)
NO_GRADE_BLACK_LIST = (
    "a black list is triggered only by records of named categories, never by a score or "
    "grade (Guobanfa [2020] No. 49: punishments rest on facts and law; Rongzhengfa [2021] "
    "No. 3: a low score alone never triggers a penalty)"
)


def lint_lists(packs: Sequence[Pack], law: Law | None = None) -> list[str]:
    """Every problem of the lists and measures of packs active together; empty when fine."""
    law = law or shipped_law()
    catalogue = _catalogue(packs)
    items = category_items(packs, law)
    schemes = {n: s for p in packs for n, s in p.scoring.schemes.items()}
    lists = {n: d for p in packs for n, d in p.lists.items()}
    problems = list(_unique(packs))
    for pack in packs:
        for name, definition in pack.lists.items():
            where = f"{pack.name}: lists.yaml: {name}"
            found = [
                *_lint_list(pack, definition, catalogue, schemes, items),
                *lint_list_law(pack, definition, items),
            ]
            problems.extend(f"{where}: {p}" for p in found)
        for name, measure in pack.measures.items():
            where = f"{pack.name}: measures.yaml: {name}"
            found = [
                *_lint_measure(measure, lists, schemes),
                *lint_measure_law(pack, measure, lists, items, law),
            ]
            problems.extend(f"{where}: {p}" for p in found)
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


def _unique(packs: Sequence[Pack]) -> Iterator[str]:
    for file, attr in (("lists.yaml", "lists"), ("measures.yaml", "measures")):
        seen: dict[str, str] = {}
        for pack in packs:
            for name in getattr(pack, attr):
                if name in seen:
                    yield f"{pack.name}: {file}: {name}: name: also in pack {seen[name]}"
                seen.setdefault(name, pack.name)


# -- lists ----------------------------------------------------------------------------


def _lint_list(
    pack: Pack,
    ld: ListDef,
    catalogue: Catalogue,
    schemes: dict[str, Scheme],
    items: dict[str, CatalogueItem],
) -> Iterator[str]:
    if lookalike(ld.name):
        yield "name: not plain ASCII (look-alike letters are refused)"
    if ground := protected_ground(ld.name) or protected_ground(ld.title):
        yield f"name: concerns a protected ground: {ground}"
    if not ld.legal_basis:
        yield "legal_basis: a list needs a legal basis"
    outside = [k for k in ld.subjects if k not in pack.meta.scope]
    if outside:
        yield f"subjects: {outside} outside the pack's scope {list(pack.meta.scope)}"
    if ld.kind == "black" and ld.notice_days == 0 and not ld.zero_notice_basis:
        yield (
            "zero_notice_basis: a black list with notice_days 0 must cite the basis for "
            "listing without notice (warn before punishing)"
        )
    if ld.notice_days > MAX_NOTICE_DAYS:
        yield f"notice_days: {ld.notice_days} is beyond {MAX_NOTICE_DAYS} days"
    if ld.entry.grade is not None:
        yield from _lint_grade_entry(ld, schemes)
        return
    cats = [catalogue.categories.get(c) for c in ld.entry.categories]
    for name, cat in zip(ld.entry.categories, cats, strict=True):
        if cat is None:
            yield f"entry.categories: no category '{name}' in the active packs"
        elif cat.kind != "conduct":
            yield f"entry.categories: '{name}' is a {cat.kind} category: only conduct lists"
        elif not set(cat.subjects) & set(ld.subjects):
            yield (
                f"entry.categories: '{name}' is about {list(cat.subjects)}, "
                f"the list is for {list(ld.subjects)}"
            )
    known = [c for c in cats if c is not None]
    yield from _lint_when(ld.entry.when, "entry.when", known, items)
    for i, override in enumerate(ld.overrides):
        yield from _lint_when(override.when, f"overrides[{i}].when", known, items)
    yield from _lint_terms(ld, known)
    for i, rule in enumerate(ld.removal):
        where = "removal" if len(ld.removal) == 1 else f"removal[{i}]"
        removers = []
        for name in rule.categories:
            other = catalogue.categories.get(name)
            if other is None:
                yield f"{where}.categories: no category '{name}' in the active packs"
                continue
            removers.append(other)
            for cat in known if rule.match == "act" else ():
                if cat.case_key is None or other.case_key is None:
                    yield (
                        f"{where}.categories: '{cat.name}' and '{name}' must both name a "
                        "case_key for a removal to concern the same act (or say "
                        "`match: subject`)"
                    )
        yield from _lint_when(rule.when, f"{where}.when", removers, items)


def _lint_grade_entry(ld: ListDef, schemes: dict[str, Scheme]) -> Iterator[str]:
    grade = ld.entry.grade
    assert grade is not None
    if ld.kind == "black":
        yield f"entry.grade: {NO_GRADE_BLACK_LIST}"
    if ld.term is not None or ld.removal or ld.overrides:
        yield (
            "term: a grade-based list holds for the day its grade is evaluated: "
            "it takes no term, removal or overrides"
        )
    scheme = schemes.get(grade.scheme)
    if scheme is None:
        yield f"entry.grade.scheme: no scheme '{grade.scheme}' in the active packs"
        return
    bands = [b.grade for b in scheme.bands]
    unknown = [g for g in grade.grades if g not in bands]
    for g in unknown:
        yield f"entry.grade.grades: '{g}' is not a grade of '{scheme.name}' {bands}"
    if ld.kind == "red" and not unknown:
        yield from _lint_reward_grades(grade.grades, scheme)
    if not set(scheme.subjects) & set(ld.subjects):
        yield (
            f"entry.grade.scheme: '{scheme.name}' grades {list(scheme.subjects)}, "
            f"the list is for {list(ld.subjects)}"
        )


def _lint_reward_grades(grades: tuple[str, ...], scheme: Scheme) -> Iterator[str]:
    """A reward must ask more than the default: the best grades, above the base's grade."""
    ranks = sorted(scheme.rank(g) for g in grades)
    if ranks != list(range(len(ranks))):
        yield (
            f"entry.grade.grades: a red list names the best grades of '{scheme.name}', "
            f"contiguous from {scheme.bands[0].grade}: {list(grades)} is not"
        )
    base = scheme.grade_for(scheme.base)
    if ranks and ranks[-1] >= scheme.rank(base):
        yield (
            f"entry.grade.grades: a reward must ask more than the default: every grade must "
            f"rank above '{base}', the grade of a subject with no records (base "
            f"{scheme.base:g}); a reward to all but the lowest grades is a punishment"
        )


def _lint_terms(ld: ListDef, cats: list[Category]) -> Iterator[str]:
    if ld.term is None:
        yield "term: a record-based list needs a term (nothing lasts forever)"
        return
    yield from _bounds(ld.term.days, ld.term.max_days, "term")
    yield from _complete(ld.term, "term")
    for i, override in enumerate(ld.overrides):
        yield from _bounds(override.days, override.max_days, f"overrides[{i}]")
        yield from _complete(override.apply(ld.term), f"overrides[{i}]")
    ext = ld.term.extension
    if ext is not None:
        for cat in cats:
            spec = cat.attributes.get(ext.attribute)
            if spec is None or spec.type != "integer":
                yield (
                    f"term.extension.attribute: category '{cat.name}' declares no integer "
                    f"attribute '{ext.attribute}'"
                )


def _bounds(days: int | None, max_days: int | None, path: str) -> Iterator[str]:
    for field, value in (("days", days), ("max_days", max_days)):
        if value is not None and not 1 <= value <= MAX_TERM_DAYS:
            yield f"{path}.{field}: {value} is outside 1..{MAX_TERM_DAYS} days"


def _complete(term: Term, path: str) -> Iterator[str]:
    if term.until_removed and term.max_days is None:
        yield f"{path}.max_days: required when until_removed (nothing lasts forever)"
    elif not term.until_removed and term.days is None:
        yield f"{path}.days: required unless until_removed"


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
    pred: Predicate | None,
    path: str,
    cats: list[Category],
    items: dict[str, CatalogueItem],
) -> Iterator[str]:
    for where, cmp in _compares(pred, path):
        if ground := protected_ground(cmp.attr):
            yield f"{where}.attr: reads protected attribute '{cmp.attr}' ({ground})"
        for cat in cats:
            if problem := attribute_problem(items.get(cat.name), cmp.attr, "list"):
                yield f"{where}.attr: {problem}"
                continue
            spec = cat.attributes.get(cmp.attr)
            if spec is None:
                yield f"{where}.attr: category '{cat.name}' declares no attribute '{cmp.attr}'"
            elif spec.type == "identifier":
                yield (
                    f"{where}.attr: reads identifier attribute '{cmp.attr}': a list may not "
                    "depend on who another subject is"
                )


# -- measures -------------------------------------------------------------------------


def _lint_measure(
    m: MeasureDef, lists: dict[str, ListDef], schemes: dict[str, Scheme]
) -> Iterator[str]:
    if lookalike(m.name):
        yield "name: not plain ASCII (look-alike letters are refused)"
    if ground := protected_ground(m.name) or protected_ground(m.title):
        yield f"name: concerns a protected ground: {ground}"
    if not m.legal_basis:
        yield "legal_basis: a measure needs a legal basis"
    if not m.agencies:
        yield "agencies: name the agencies that enforce the measure"
    for action in m.actions:
        if not ACTION_CODE.match(action):
            yield f"actions: '{action}' is not an action code 'area.thing[.more]' in snake case"
        elif ground := protected_ground(action):
            yield f"actions: '{action}' concerns a protected ground: {ground}"
    if m.effect in ("restrict", "discount") and not (m.condition or "").strip():
        yield f"condition: a {m.effect} measure says what it allows or grants"
    found: list[ListDef] = []
    for name in m.lists:
        ld = lists.get(name)
        if ld is None:
            yield f"lists: no list '{name}' in the active packs"
            continue
        found.append(ld)
        if m.effect in PUNISHING and ld.kind != "black":
            yield f"lists: '{name}' is a red list: a {m.effect} measure may follow only black lists"
            grade = ld.entry.grade
            if grade is not None and (s := schemes.get(grade.scheme)) and s.kind == "points":
                yield f"lists: '{name}' follows points scheme '{s.name}': {POINTS_REWARD_ONLY}"
        if m.effect in REWARDING and ld.kind != "red":
            yield f"lists: '{name}' is a black list: a {m.effect} measure may follow only red lists"
        if m.effect in REWARDING and ld.domain not in m.domains:
            yield (
                f"domains: list '{name}' is in the {ld.domain} domain, not in "
                f"{list(m.domains)}: a reward follows lists of its domains"
            )
    roles = [t for t in m.targets if t in ROLE_TARGETS]
    if roles:
        if not m.legal_basis:
            yield f"targets: {roles} need a legal basis that reaches them"
        if found and not any(set(ld.subjects) & set(ORGANISATIONS) for ld in found):
            yield (
                f"targets: {roles} reach persons holding a role in a listed organisation, "
                "but none of the measure's lists lists organisations"
            )
