"""GET /v1/risk/report and /v1/risk/models: the predictive risk scorecard, for supervisors
and auditors (by the permission table). The score informs a review and is shown to the
subject on its own report (``RiskScoreOut``); no list entry or measure follows from it."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from socialcredit.supervision.risk.models import versions
from socialcredit.supervision.risk.service import report
from socialcredit.web.deps import StoreDep

router = APIRouter(prefix="/v1/risk", tags=["risk"])


class ReasonOut(BaseModel):
    feature: str
    points: float = Field(description="points below the feature's best bin")
    en: str
    zh: str


class RiskScoreOut(BaseModel):
    """A subject's risk score on its own report, naming the model that gave it."""

    subject: str
    model_version: int
    score: int = Field(description="points: higher is safer; +pdo points doubles the odds")
    probability: float = Field(description="predicted probability of a serious default")
    band: str = Field(description="low, medium or high")
    as_of: dt.date
    reasons: list[ReasonOut] = Field(description="the four factors lowering the score most")
    use: str


class ModelOut(BaseModel):
    version: int
    state: str = Field(description="candidate, active or retired")
    trained_at: str
    cutoff: dt.date
    parent: int | None
    features: list[str]
    auc: float | None
    baseline_auc: float | None
    dry_run: bool = Field(description="whether the candidate has been dry-run")
    activated_at: str | None


class DecileOut(BaseModel):
    decile: int
    subjects: int
    predicted: float
    observed: float


class SampleOut(BaseModel):
    cutoff: dt.date
    subjects: int
    defaults: int


class EvaluationOut(SampleOut):
    auc: float
    ks: float
    baseline_auc: float = Field(description="adverse records in the last two years")
    baseline_ks: float
    lift_auc: float
    calibration: list[DecileOut]
    development: SampleOut


class MonthOut(BaseModel):
    month: str
    subjects: int
    mean_score: float
    psi: float = Field(description="against the out-of-time sample's scores")
    psi_month: float | None = Field(description="against the month before")


class BinnedOut(BaseModel):
    name: str
    splits: list[float]
    woe: list[float]
    points: list[float]
    events: list[int] = Field(description="defaults in each bin, in training")
    counts: list[int] = Field(description="subjects in each bin, in training")


class CardOut(BaseModel):
    base_points: float
    base_score: int
    base_odds: float
    pdo: float
    features: list[BinnedOut]


class RiskReportOut(BaseModel):
    model: ModelOut
    evaluation: EvaluationOut
    stability: list[MonthOut]
    psi_threshold: float
    retrain_due: bool
    card: CardOut


@router.get("/report", summary="The active risk model's report")
def get_report(
    store: StoreDep,
    months: Annotated[int, Query(ge=1, le=36, description="months of PSI")] = 6,
) -> RiskReportOut:
    """AUC, KS and calibration by decile out of time against the naive baseline, the
    population stability month by month, whether a retrain is due, and the card."""
    return RiskReportOut.model_validate(report(store, months=months))


@router.get("/models", summary="Every version of the risk model")
def get_models(store: StoreDep) -> list[ModelOut]:
    """Every version, oldest first, with its state and out-of-time AUC."""
    return [ModelOut.model_validate(m.summary()) for m in versions(store)]
