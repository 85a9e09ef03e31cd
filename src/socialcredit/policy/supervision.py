"""Supervision settings of a pack: ``supervision.yaml``, a ``supervision:`` section.

The false discovery rate at which the supervision analytics flag (Benjamini and
Hochberg, 1995), and one subsection per analytic (``judges``: docs/supervision.md).
Loading checks structure; what the lists, measures and rules of the active packs may
do with the outputs is checked by :mod:`socialcredit.policy.lint_supervision`. When
several active packs carry the section, the last one's applies (as disclosure does).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from socialcredit.policy.fairness import FairnessSettings
from socialcredit.policy.law.citation import Basis

if TYPE_CHECKING:
    from socialcredit.policy.pack import Pack

FILE = "supervision.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class JudgeSupervision(_Strict):
    """The supervision of courts and judges: deviation of decisions from what the case
    facts predict (docs/supervision.md, "Judges")."""

    min_cases: int = Field(
        default=30,
        ge=2,
        le=100_000,
        description="a judge with fewer decisions gets an index but is never flagged",
    )
    folds: int = Field(
        default=5,
        ge=2,
        le=20,
        description="folds of the out-of-fold predictions, grouped by judge",
    )
    model: Literal["linear", "boosting"] = Field(
        default="linear",
        description="linear: ridge regression on the case facts; boosting: gradient boosting",
    )
    reviewer: str = Field(
        default="reviewer",
        min_length=1,
        max_length=60,
        description="the API role that decides a justification request",
    )
    feed_domain: bool = Field(
        default=False,
        description="whether the share of unjustified flags may be reported as "
        "judicial.unjustified_deviation_share records, for the judicial domain to score",
    )
    feed_period_days: int = Field(
        default=365, ge=30, le=1095, description="the period the share is counted over"
    )
    feed_min_decided: int = Field(
        default=3,
        ge=1,
        le=1000,
        description="no share is reported for a judge with fewer decided requests in the period",
    )
    legal_basis: Basis = ()


class SupervisionSettings(_Strict):
    fdr: float = Field(
        default=0.05,
        gt=0,
        le=0.2,
        description="false discovery rate of the Benjamini-Hochberg procedure for every flag",
    )
    judges: JudgeSupervision = JudgeSupervision()
    fairness: FairnessSettings = FairnessSettings()  # outcome monitoring (policy/fairness.py)


DEFAULT = SupervisionSettings()


def parse_supervision(data: Any, problems: list[str]) -> SupervisionSettings | None:
    """The settings of a parsed ``supervision.yaml`` (None: the pack has none)."""
    if data is None:
        return None
    if not isinstance(data, dict) or set(data) != {"supervision"}:
        problems.append(f"{FILE}: must be a mapping with one section, `supervision`")
        return None
    try:
        return SupervisionSettings.model_validate(data["supervision"] or {})
    except ValidationError as exc:
        for err in exc.errors():
            loc = ".".join(str(p) for p in err["loc"]) or "(section)"
            problems.append(f"{FILE}: supervision.{loc}: {err['msg']}")
        return None


def effective(packs: Sequence[Pack]) -> SupervisionSettings:
    """The settings in force: the last active pack that declares any, else the defaults."""
    for pack in reversed(packs):
        if pack.supervision is not None:
            return pack.supervision
    return DEFAULT


__all__ = ["DEFAULT", "JudgeSupervision", "SupervisionSettings", "effective", "parse_supervision"]
