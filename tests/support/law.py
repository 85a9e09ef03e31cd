"""Allow-lists for small test packs: every category of the packs as a catalogue item.

The shipped allow-lists (``socialcredit.policy.law``) are what production
lints against; tests of the generic lint rules use packs whose made-up
categories are not in them, so they lint against a catalogue made from the
packs themselves (numbers are ``amount`` attributes, the rest ``conduct``,
identifiers of registry role categories ``party`` with the legal role) plus
the Basic List items a test gives.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from socialcredit.policy.law.allowlists import Law, shipped_law
from socialcredit.policy.law.basic_list import BasicListItem
from socialcredit.policy.law.catalogue import CatalogueItem
from socialcredit.policy.pack import Pack

ROLES = {
    "registry.legal_representative": "legal_representative",
    "registry.controller": "controller",
    "registry.responsible_person": ["principal_manager", "directly_responsible"],
}


def with_items(categories_yaml: str) -> str:
    """The categories of a ``categories.yaml`` text, each naming itself as its item."""
    return re.sub(
        r"^  ([a-z0-9_]+\.[a-z0-9_]+):[ \t]*\n(?!    catalogue_item)",
        lambda m: f"{m.group(0)}    catalogue_item: {m.group(1)}\n",
        categories_yaml,
        flags=re.MULTILINE,
    )


def _attribute(category: str, name: str, kind: str) -> dict[str, Any]:
    if kind == "identifier" and category in ROLES and name == "person":
        return {"type": kind, "class": "party", "role": ROLES[category]}
    return {"type": kind, "class": "amount" if kind in ("integer", "number") else "conduct"}


def test_law(
    packs: Iterable[Pack],
    basic_list: Mapping[str, dict[str, Any]] | None = None,
    items_extra: Mapping[str, dict[str, Any]] | None = None,
) -> Law:
    """``basic_list``: Basic List items by id; ``items_extra``: fields to set on the item
    made for a category (e.g. an ``extension``)."""
    items: dict[str, CatalogueItem] = {}
    for pack in packs:
        for name, cat in pack.categories.items():
            if cat.kind == "remedy" or name in items:
                continue
            kind = "reward" if cat.severity == "reward" else cat.kind
            items[name] = CatalogueItem.model_validate(
                {
                    "id": name,
                    "title_zh": "测试",
                    "title_en": cat.title,
                    "kind": kind,
                    "legal_basis": ["civil_code art. 577"],
                    "subjects": list(cat.subjects),
                    "attributes": {
                        a: _attribute(name, a, s.type) for a, s in cat.attributes.items()
                    },
                    "max_days": 1825,
                    **(items_extra or {}).get(name, {}),
                }
            )
    measures = {
        k: BasicListItem.model_validate({"id": k, "title_zh": "测试", "title_en": k, **v})
        for k, v in (basic_list or {}).items()
    }
    return Law(items, measures, shipped_law().actions)


test_law.__test__ = False  # type: ignore[attr-defined]
