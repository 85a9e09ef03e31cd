"""The National Basic List of Disciplinary Measures as data (``measures.yaml``).

An item says which punishment may be imposed, at most how harsh, on which
action codes, on whom (the subject and which legal roles), after which
information of the catalogue (``triggers``: proportionality), and for how
long. A pack's punishing measure names its item (``basic_list_item``) and
must stay within it.
"""

from __future__ import annotations

from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from socialcredit.policy.law.citation import Basis
from socialcredit.policy.law.registry import read_law_yaml
from socialcredit.policy.lists import Target

PunishingEffect = Literal["deny", "restrict", "review"]
EFFECT_RANK: dict[str, int] = {"review": 1, "restrict": 2, "deny": 3}


class BasicListItem(BaseModel):
    """One measure the Basic List allows (or a local pack's addition)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title_zh: str = Field(min_length=1)
    title_en: str = Field(min_length=1)
    legal_basis: Basis = Field(min_length=1)
    effect: PunishingEffect = Field(description="the harshest allowed: deny > restrict > review")
    actions: tuple[str, ...] = Field(min_length=1)
    targets: tuple[Target, ...] = Field(min_length=1)
    triggers: tuple[str, ...] = Field(min_length=1, description="catalogue items")
    max_days: int = Field(ge=1)
    note: str = ""


@cache
def shipped_basic_list() -> dict[str, BasicListItem]:
    """The platform's Basic List, by item id."""
    raw = read_law_yaml("measures.yaml", "items")
    return {k: BasicListItem.model_validate(v) for k, v in raw.items()}
