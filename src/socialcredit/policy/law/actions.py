"""The catalogue of action codes relying parties may ask about (``actions.yaml``).

Measures may restrict or reward only these actions; a check about any other
action has no measure to apply. :func:`action_catalogue` is the one place
that says which codes exist.
"""

from __future__ import annotations

from functools import cache

from pydantic import BaseModel, ConfigDict, Field

from socialcredit.policy.law.registry import read_law_yaml

ACTION_PATTERN = r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$"


class Action(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=ACTION_PATTERN)
    title_zh: str = Field(min_length=1)
    title_en: str = Field(min_length=1)


@cache
def action_catalogue() -> dict[str, Action]:
    """Every action code relying parties may ask about, by code."""
    raw = read_law_yaml("actions.yaml", "actions")
    return {k: Action.model_validate(v) for k, v in raw.items()}
