"""Outcome monitoring settings: the ``fairness:`` subsection of ``supervision.yaml``.

How outcome rates of a group (by sex, age band or home region, read from resident
identity numbers by :mod:`socialcredit.monitoring.demographics` only) are compared with
the population's: the disparity ratio below which a group is flagged (the four-fifths
rule by default) and the cases a flag needs behind it. Flags are information for the
supervisors' review; the safeguards lint refuses any list or measure that would follow
from them (:mod:`socialcredit.policy.supervision_outputs`, ``fairness.disparity``).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from socialcredit.policy.law.citation import Basis


class FairnessSettings(BaseModel):
    """When a group's outcome rate is flagged against the population's."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    threshold: float = Field(
        default=0.8,
        gt=0,
        lt=1,
        description="the disparity ratio (population rate / group rate of an adverse "
        "outcome) below which a group is flagged: 0.8 is the four-fifths rule",
    )
    min_cases: int = Field(
        default=30,
        ge=1,
        le=1_000_000,
        description="a group with fewer members at risk of the outcome is never flagged",
    )
    min_events: int = Field(
        default=5,
        ge=1,
        le=1_000_000,
        description="a group with fewer members who met the outcome is never flagged",
    )
    confidence: float = Field(
        default=0.95,
        gt=0.5,
        lt=1,
        description="level of the Wilson intervals; a flag also needs the group's "
        "interval to lie above the population's rate",
    )
    legal_basis: Basis = ()


__all__ = ["FairnessSettings"]
