"""The pack's settings for entity resolution (``resolution.yaml``, optional).

A record that arrived without an identifier gets a match probability against the
registry's persons (:mod:`socialcredit.resolution`). At or above ``upper`` it is linked
automatically; from ``lower`` up to ``upper`` (or when a second candidate also reaches
``lower``: namesakes) it goes to a reviewer; below ``lower`` it stays unlinked and
counts nowhere. A link by probability may count in a score; no list entry and no
measure rests on it until a reviewer has confirmed it (:mod:`socialcredit.engine.links`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

FILE = "resolution.yaml"


class ResolutionSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    upper: float = Field(
        default=0.99, gt=0, le=1, description="linked automatically from this probability"
    )
    lower: float = Field(
        default=0.80, gt=0, le=1, description="sent to a reviewer from this probability"
    )

    @model_validator(mode="after")
    def _ordered(self) -> ResolutionSettings:
        if self.lower > self.upper:
            raise ValueError("lower must not exceed upper")
        return self


DEFAULT = ResolutionSettings()


def parse_resolution(data: Any, problems: list[str]) -> ResolutionSettings | None:
    """The settings of a parsed ``resolution.yaml`` (None: the pack has none)."""
    if data is None:
        return None
    if not isinstance(data, dict) or set(data) != {"resolution"}:
        problems.append(f"{FILE}: must be a mapping with one section, resolution:")
        return None
    try:
        return ResolutionSettings.model_validate(data["resolution"] or {})
    except ValidationError as exc:
        for err in exc.errors():
            loc = ".".join(str(p) for p in err["loc"]) or "(entry)"
            problems.append(f"{FILE}: resolution: {loc}: {err['msg']}")
        return None


def effective_resolution(packs: Sequence[Any]) -> ResolutionSettings:
    """The settings in force: the last active pack that sets them, else the defaults."""
    found = [p.resolution for p in packs if getattr(p, "resolution", None) is not None]
    return found[-1] if found else DEFAULT


__all__ = ["DEFAULT", "ResolutionSettings", "effective_resolution", "parse_resolution"]
