"""The legality lint: packs against the legal-basis registry and the national allow-lists.

1. Categories (:func:`lint_categories`): every category but a ``remedy`` one
   names its item of the catalogue (national, or the pack's own local
   additions); kind, subjects, attributes, types and enum values within the
   item; a per-case extension attribute within the item's bounds.
2. Reading (:func:`attribute_problem`): rules, list conditions and overrides
   read only ``conduct`` and ``amount`` attributes (``per``: ``amount``), never
   a ``reference``, ``party`` or ``scope_only`` one.
3. Measures (:func:`lint_measure_law`): actions in the action catalogue; a
   punishing measure names its Basic List item and stays within its actions,
   effect, targets, triggers (proportionality) and term, and cites at least
   one instrument of a level that may punish; a reward names no item.
4. Lists (:func:`lint_list_law`): a black list of a national pack cites a
   level that may define one nationwide; every list of a local pack cites a
   law or a local regulation covering the pack; a zero-notice basis cites an
   article; terms within the catalogue items of the entry categories.
5. Schemes (:func:`lint_scheme_law`): a scheme cites a basis; a local scheme
   that scores persons is a points scheme with consent.
6. Additions (:func:`lint_additions`): only a provincial or municipal pack adds
   items, each citing a local regulation covering the pack; no national item
   is redefined; added measures use catalogued actions and known triggers.

Every problem reads ``<pack>: <file>: <entry>: <field>: <message>``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from socialcredit.policy.catalogue import Category
from socialcredit.policy.law.allowlists import LOCAL_LEVELS, Law
from socialcredit.policy.law.basic_list import EFFECT_RANK
from socialcredit.policy.law.catalogue import READABLE, CatalogueItem
from socialcredit.policy.law.citation import Citation
from socialcredit.policy.law.registry import (
    NATIONAL_LIST_LEVELS,
    PUNISHING_LEVELS,
    jurisdiction_covers,
)
from socialcredit.policy.lists import PUNISHING, ListDef, MeasureDef
from socialcredit.policy.pack import Pack
from socialcredit.policy.rules import Scheme

_KINDS = {"conduct": ("conduct", "reward"), "registry": ("registry",)}
_KINDS["supervision"] = ("supervision",)
PUNISH_LEVELS_TEXT = "a law, administrative regulation, judicial interpretation or central document"


def _levels(basis: tuple[Citation, ...]) -> set[str]:
    return {c.source.level for c in basis}


def _local_basis(basis: tuple[Citation, ...], area: str) -> bool:
    return any(
        c.source.level == "law"
        or (
            c.source.level == "local_regulation"
            and jurisdiction_covers(c.source.jurisdiction, area)
        )
        for c in basis
    )


# -- categories ------------------------------------------------------------------------


def lint_categories(pack: Pack, law: Law) -> Iterator[str]:
    allowed = law.for_pack(pack).catalogue
    for name, cat in pack.categories.items():
        where = f"{pack.name}: categories.yaml: {name}"
        if cat.kind == "remedy":
            if cat.catalogue_item is not None:
                yield f"{where}: catalogue_item: a remedy category records due process, no item"
            continue
        if cat.catalogue_item is None:
            yield (
                f"{where}: catalogue_item: name the item of the National Public Credit "
                "Information Basic Catalogue it records (information outside it needs a law "
                "or regulation, or a local pack's addition citing a local regulation)"
            )
            continue
        item = allowed.get(cat.catalogue_item)
        if item is None:
            yield (
                f"{where}: catalogue_item: '{cat.catalogue_item}' is not an item of the "
                "national catalogue" + (" or of this pack's additions" if pack.additions else "")
            )
            continue
        yield from (f"{where}: {p}" for p in _category_within(cat, item))


def _category_within(cat: Category, item: CatalogueItem) -> Iterator[str]:
    if item.kind not in _KINDS.get(cat.kind, ()):
        yield f"catalogue_item: '{item.id}' is {item.kind} information, the category is {cat.kind}"
    elif (item.kind == "reward") != (cat.severity == "reward"):
        yield (
            f"severity: '{item.id}' is {item.kind} information: its categories "
            + ("are rewards" if item.kind == "reward" else "are not rewards")
        )
    outside = [k for k in cat.subjects if k not in item.subjects]
    if outside:
        yield f"subjects: {outside} outside the catalogue item's {list(item.subjects)}"
    for attr, spec in cat.attributes.items():
        allowed = item.attributes.get(attr)
        if allowed is None:
            yield (
                f"attributes.{attr}: not an attribute of catalogue item '{item.id}' "
                f"({', '.join(item.attributes) or 'none'})"
            )
            continue
        if spec.type != allowed.type:
            yield f"attributes.{attr}: a {spec.type}, the catalogue item says {allowed.type}"
        if allowed.values is not None and spec.values is not None:
            extra = [v for v in spec.values if v not in allowed.values]
            if extra:
                yield f"attributes.{attr}.values: {extra} are not values the catalogue allows"
        ext = item.extension
        if ext is not None and attr == ext.attribute:
            low, high = ext.min_days, ext.max_days
            if spec.min is None or spec.max is None or spec.min < low or spec.max > high:
                yield (
                    f"attributes.{attr}: a per-case extension is bounded {low}..{high} days "
                    f"(min: {low}, max: {high})"
                )


def attribute_problem(
    item: CatalogueItem | None, attr: str, reader: str, amounts_only: bool = False
) -> str | None:
    """Why a rule or list may not read ``attr`` of a record of ``item``, or None."""
    if item is None:
        return None
    spec = item.attributes.get(attr)
    if spec is None:
        return None  # the category lint reports an attribute outside its item
    allowed = ("amount",) if amounts_only else READABLE
    if spec.scope_only:
        return f"'{attr}' decides a scheme's scope only: no {reader} may read it"
    if spec.class_ not in allowed:
        kinds = "amount" if amounts_only else "conduct and amount"
        return (
            f"'{attr}' is a {spec.class_} attribute: {reader}s read only {kinds} "
            "attributes of the subject's own records"
        )
    return None


# -- measures ------------------------------------------------------------------------


def lint_measure_law(
    pack: Pack,
    m: MeasureDef,
    lists: Mapping[str, ListDef],
    items: Mapping[str, CatalogueItem],
    law: Law,
) -> Iterator[str]:
    for action in m.actions:
        if action not in law.actions:
            yield f"actions: '{action}' is not in the action catalogue"
    if m.effect not in PUNISHING:
        if m.basic_list_item is not None:
            yield "basic_list_item: a reward is not a disciplinary measure"
        return
    if m.domains:
        yield (
            "domains: a punishing measure takes its proportionality from its Basic List "
            "item's triggers, not from declared domains: remove `domains`"
        )
    if m.legal_basis and not _levels(m.legal_basis) & set(PUNISHING_LEVELS):
        yield f"legal_basis: a punishing measure cites at least {PUNISH_LEVELS_TEXT}"
    if m.basic_list_item is None:
        yield (
            "basic_list_item: a punishing measure names its item of the National Basic List "
            "of Disciplinary Measures (a measure outside it needs a law or regulation)"
        )
        return
    item = law.for_pack(pack).basic_list.get(m.basic_list_item)
    if item is None:
        yield f"basic_list_item: '{m.basic_list_item}' is not an item of the Basic List"
        return
    outside = [a for a in m.actions if a not in item.actions]
    if outside:
        yield f"actions: {outside} are outside Basic List item '{item.id}'"
    if EFFECT_RANK[m.effect] > EFFECT_RANK[item.effect]:
        yield (
            f"effect: {m.effect} is harsher than Basic List item '{item.id}' allows ({item.effect})"
        )
    wider = [t for t in m.targets if t not in item.targets]
    if wider:
        yield f"targets: {wider} are outside Basic List item '{item.id}' {list(item.targets)}"
    for name in m.lists:
        ld = lists.get(name)
        if ld is None or ld.kind != "black":
            continue
        for cat in ld.entry.categories:
            found = items.get(cat)
            if found is not None and found.id not in item.triggers:
                yield (
                    f"lists: '{name}' lists on '{cat}' ({found.id}), which Basic List item "
                    f"'{item.id}' does not follow (triggers: {list(item.triggers)}): "
                    "proportionality"
                )
        longest = ld.longest_days(_extension(ld, items))
        if longest is not None and longest > item.max_days:
            yield (
                f"lists: '{name}' can last {longest} days, longer than Basic List item "
                f"'{item.id}' allows ({item.max_days})"
            )


def _extension(ld: ListDef, items: Mapping[str, CatalogueItem]) -> int:
    bounds = [
        i.extension.max_days
        for c in ld.entry.categories
        if (i := items.get(c)) is not None and i.extension is not None
    ]
    return max(bounds, default=0)


# -- lists ---------------------------------------------------------------------------


def lint_list_law(pack: Pack, ld: ListDef, items: Mapping[str, CatalogueItem]) -> Iterator[str]:
    area = pack.meta.jurisdiction
    if ld.legal_basis:
        if area != "national" and not _local_basis(ld.legal_basis, area):
            yield (
                f"legal_basis: a list of a local pack cites a law or a local regulation of "
                f"its area ({area})"
            )
        elif (
            ld.kind == "black"
            and area == "national"
            and not _levels(ld.legal_basis) & set(NATIONAL_LIST_LEVELS)
        ):
            yield (
                f"legal_basis: a black list applied nationwide cites {PUNISH_LEVELS_TEXT} "
                "(or a departmental rule where the field has none)"
            )
    if ld.zero_notice_basis is not None and not any(c.articles for c in ld.zero_notice_basis):
        yield "zero_notice_basis: a basis for listing without notice cites an article"
    if ld.term is None:
        return
    base = ld.term
    for name in ld.entry.categories:
        item = items.get(name)
        if item is None:
            continue
        for path, term in (
            ("term", base),
            *((f"overrides[{i}]", o.apply(base)) for i, o in enumerate(ld.overrides)),
        ):
            if term.until_removed:
                cap = item.until_removed_max_days or item.max_days or 0
                if term.max_days is not None and term.max_days > cap:
                    yield (
                        f"{path}.max_days: {term.max_days} days is beyond what catalogue item "
                        f"'{item.id}' allows ({cap})"
                    )
            elif term.days is not None and term.days > (item.max_days or 0):
                yield (
                    f"{path}.days: {term.days} days is beyond what catalogue item '{item.id}' "
                    f"allows ({item.max_days})"
                )
        ext = base.extension
        if ext is not None and (
            item.extension is None or item.extension.attribute != ext.attribute
        ):
            yield (
                f"term.extension: catalogue item '{item.id}' sets no per-case extension in "
                f"'{ext.attribute}'"
            )


# -- schemes -------------------------------------------------------------------------


def lint_scheme_law(pack: Pack, scheme: Scheme) -> Iterator[str]:
    if not scheme.legal_basis:
        yield "legal_basis: a scheme cites the basis for rating its subjects"
    local = pack.meta.level in LOCAL_LEVELS and "person" in scheme.subjects
    if local and (scheme.kind != "points" or not scheme.consent):
        yield (
            f"kind: a {pack.meta.level} scheme that scores persons is a points scheme "
            "(kind: points) with informed consent (consent: true): it may only reward"
        )


# -- additions -----------------------------------------------------------------------


def lint_additions(pack: Pack, law: Law) -> Iterator[str]:
    adds = pack.additions
    if adds is None:
        return
    area = pack.meta.jurisdiction
    local = pack.meta.level in LOCAL_LEVELS
    own = {**adds.catalogue}
    entries = [("catalogue", k, v.legal_basis) for k, v in adds.catalogue.items()]
    entries += [("measures", k, v.legal_basis) for k, v in adds.measures.items()]
    for section, key, basis in entries:
        where = f"{pack.name}: additions.yaml: {section}.{key}"
        if not local:
            yield (
                f"{where}: (entry): only a provincial or municipal pack may add items; a "
                f"{pack.meta.level} pack rests on the national allow-lists"
            )
            continue
        national = law.catalogue if section == "catalogue" else law.basic_list
        if key in national:
            yield f"{where}: id: '{key}' is a national item: an addition may not redefine it"
        covering = [
            c
            for c in basis
            if c.source.level == "local_regulation"
            and jurisdiction_covers(c.source.jurisdiction, area)
        ]
        if not covering:
            yield (
                f"{where}: legal_basis: a local addition cites a local regulation whose "
                f"jurisdiction covers the pack's ({area})"
            )
    for key, m in adds.measures.items():
        where = f"{pack.name}: additions.yaml: measures.{key}"
        for action in m.actions:
            if action not in law.actions:
                yield f"{where}: actions: '{action}' is not in the action catalogue"
        for trigger in m.triggers:
            if trigger not in law.catalogue and trigger not in own:
                yield f"{where}: triggers: '{trigger}' is not a catalogue item"
