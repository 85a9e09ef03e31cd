"""The allow-lists a set of packs is checked against: the platform's, and local additions.

:class:`Law` bundles the catalogue, the Basic List and the action catalogue.
The lint takes one (the shipped one unless told otherwise); a provincial or
municipal pack sees the national items and its own additions, never another
pack's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from socialcredit.policy.law.actions import Action, action_catalogue
from socialcredit.policy.law.basic_list import BasicListItem, shipped_basic_list
from socialcredit.policy.law.catalogue import CatalogueItem, shipped_catalogue

if TYPE_CHECKING:
    from socialcredit.policy.lists import ListDef
    from socialcredit.policy.pack import Pack

LOCAL_LEVELS = ("provincial", "municipal")


@dataclass(frozen=True)
class Law:
    catalogue: Mapping[str, CatalogueItem]
    basic_list: Mapping[str, BasicListItem]
    actions: Mapping[str, Action]

    def for_pack(self, pack: Pack) -> Law:
        """What a pack may use: the national items, plus its own additions if it is local."""
        adds = pack.additions
        if adds is None or pack.meta.level not in LOCAL_LEVELS:
            return self
        return Law(
            {**adds.catalogue, **self.catalogue},  # a national item wins over a namesake
            {**adds.measures, **self.basic_list},
            self.actions,
        )


@cache
def shipped_law() -> Law:
    """The platform's allow-lists."""
    return Law(shipped_catalogue(), shipped_basic_list(), action_catalogue())


def category_items(packs: Iterable[Pack], law: Law) -> dict[str, CatalogueItem]:
    """The catalogue item of every category the packs declare (as its own pack sees it)."""
    out: dict[str, CatalogueItem] = {}
    for pack in packs:
        allowed = law.for_pack(pack).catalogue
        for name, cat in pack.categories.items():
            item = allowed.get(cat.catalogue_item or "")
            if item is not None:
                out.setdefault(name, item)
    return out


def extension_max(ld: ListDef, items: Mapping[str, CatalogueItem]) -> int:
    """The most days a list's per-case extension may add: the catalogue items' bound."""
    term = ld.term
    if term is None or term.extension is None:
        return 0
    bounds = [
        item.extension.max_days
        for name in ld.entry.categories
        if (item := items.get(name)) is not None
        and item.extension is not None
        and item.extension.attribute == term.extension.attribute
    ]
    return max(bounds, default=0)
