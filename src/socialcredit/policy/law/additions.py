"""Local additions: catalogue and measure items a provincial or municipal pack adds.

A local pack's ``additions.yaml`` has the same format as the platform's
``catalogue.yaml`` (section ``catalogue``) and ``measures.yaml`` (section
``measures``). The lint (:mod:`socialcredit.policy.lint_law`) admits them only
in a pack whose level is ``provincial`` or ``municipal``, each item citing a
local regulation whose jurisdiction covers the pack, its measures using only
catalogued actions; :func:`active_additions` lists them for review.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from socialcredit.policy.law.basic_list import BasicListItem
from socialcredit.policy.law.catalogue import CatalogueItem
from socialcredit.policy.law.citation import basis_text

if TYPE_CHECKING:
    from socialcredit.policy.pack import Pack

FILE = "additions.yaml"


class Additions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    catalogue: dict[str, CatalogueItem] = Field(default_factory=dict)
    measures: dict[str, BasicListItem] = Field(default_factory=dict)


@dataclass(frozen=True)
class ActiveAddition:
    """One local addition of an active pack, as the safeguards audit lists it."""

    pack: str
    jurisdiction: str
    kind: str  # "catalogue" or "measure"
    id: str
    title: str
    legal_basis: str


def _describe(entry: str, exc: ValidationError) -> list[str]:
    out = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "(entry)"
        out.append(f"{FILE}: {entry}: {loc}: {err['msg']}")
    return out


def _section(data: dict[str, Any], section: str, problems: list[str]) -> dict[str, dict[str, Any]]:
    entries = data.get(section) or {}
    if not isinstance(entries, dict):
        problems.append(f"{FILE}: {section}: must be a mapping of id to item")
        return {}
    out: dict[str, dict[str, Any]] = {}
    for name, entry in entries.items():
        if isinstance(entry, dict):
            out[str(name)] = entry
        else:
            problems.append(f"{FILE}: {section}.{name}: must be a mapping")
    return out


def parse_additions(data: Any, problems: list[str]) -> Additions | None:
    """The additions of a parsed ``additions.yaml`` (None: the pack has none)."""
    if data is None:
        return None
    if not isinstance(data, dict):
        problems.append(f"{FILE}: must be a mapping with `catalogue` and `measures`")
        return None
    for key in sorted(set(data) - {"catalogue", "measures"}):
        problems.append(f"{FILE}: {key}: unknown section")
    found = len(problems)
    catalogue: dict[str, CatalogueItem] = {}
    measures: dict[str, BasicListItem] = {}
    for name, entry in _section(data, "catalogue", problems).items():
        try:
            catalogue[name] = CatalogueItem.model_validate({"id": name, **entry})
        except ValidationError as exc:
            problems.extend(_describe(f"catalogue.{name}", exc))
    for name, entry in _section(data, "measures", problems).items():
        try:
            measures[name] = BasicListItem.model_validate({"id": name, **entry})
        except ValidationError as exc:
            problems.extend(_describe(f"measures.{name}", exc))
    if len(problems) > found:
        return None
    return Additions(catalogue=catalogue, measures=measures)


def active_additions(packs: Iterable[Pack]) -> list[ActiveAddition]:
    """Every local catalogue and measure item the packs add, for review."""
    out: list[ActiveAddition] = []
    for pack in packs:
        if pack.additions is None:
            continue
        where = (pack.name, pack.meta.jurisdiction)
        for item_id, item in pack.additions.catalogue.items():
            out.append(
                ActiveAddition(
                    *where, "catalogue", item_id, item.title_en, basis_text(item.legal_basis)
                )
            )
        for item_id, m in pack.additions.measures.items():
            out.append(
                ActiveAddition(*where, "measure", item_id, m.title_en, basis_text(m.legal_basis))
            )
    return out
