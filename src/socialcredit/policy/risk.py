"""The risk scorecard's settings of a pack: the ``risk`` subsection of ``supervision.yaml``.

The scorecard (:mod:`socialcredit.supervision.risk`) predicts a serious default in the
months after a cut-off from a subject's own history. These settings say what counts as
a serious default, how scores are scaled to points, and when the population has moved
far enough from the one a model was trained on (the population stability index) that a
candidate is retrained. The score informs a review and is shown to the subject; no list
or measure may follow from it (:mod:`socialcredit.policy.supervision_outputs`).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RiskSettings(_Strict):
    horizon_days: int = Field(
        default=365,
        ge=30,
        le=1095,
        description="the window after the cut-off a default is sought in",
    )
    default_categories: tuple[str, ...] = Field(
        default=("judicial.judgment_default", "tax.evasion"),
        description="categories whose every record is a serious default",
    )
    loan_category: str = Field(
        default="finance.loan_default", description="the category of a loan in default"
    )
    loan_months_overdue: int = Field(
        default=3,
        ge=1,
        le=60,
        description="a loan default is serious from this many months overdue (3: 90 days)",
    )
    psi_threshold: float = Field(
        default=0.25,
        gt=0,
        le=5,
        description="population stability index above which a candidate model is retrained",
    )
    base_score: int = Field(default=600, ge=100, le=1000, description="points at the base odds")
    base_odds: float = Field(
        default=50.0, gt=0, description="the odds of no default (good:bad) at the base score"
    )
    pdo: float = Field(default=20.0, gt=0, le=200, description="points to double the odds")
    min_bin_share: float = Field(
        default=0.05, gt=0, lt=0.5, description="the smallest share of subjects in one bin"
    )
    max_bins: int = Field(default=6, ge=2, le=20, description="the most bins of one feature")
    reasons: int = Field(default=4, ge=1, le=10, description="reason codes given with a score")


__all__ = ["RiskSettings"]
