"""GET /v1/supervision/judges: the judges' deviation report (supervisors and auditors,
by the permission table). The analysis runs on a snapshot of the ledger as known now."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from socialcredit.web.deps import StoreDep

router = APIRouter(prefix="/v1", tags=["supervision"])


class FitOut(BaseModel):
    case_type: str
    target: str = Field(description="the outcome modelled, more against the defendant is more")
    decisions: int
    judges: int
    folds: int
    residual_sd: float
    r2: float = Field(description="out-of-fold R²")


class JudgeOut(BaseModel):
    judge: str
    court: str
    cases: int
    index: float = Field(description="mean deviation score of the judge's decisions")
    ci_low: float | None = Field(description="95% interval (Student's t)")
    ci_high: float | None
    p_value: float
    q_value: float | None = Field(description="Benjamini-Hochberg; None below min_cases")
    flagged: bool


class FlagOut(BaseModel):
    decision: str = Field(description="the decision record's id")
    judge: str
    court: str
    provider: str
    case_type: str
    decided_on: dt.date
    observed: float
    predicted: float
    deviation_score: float
    p_value: float
    q_value: float


class JudgesReportOut(BaseModel):
    known_at: str | None = Field(description="the ledger as known at this instant (UTC)")
    since: dt.date | None
    until: dt.date | None
    fdr: float
    min_cases: int
    model: str
    folds: int
    rounds: int = Field(description="fits until the flagged judges stop changing")
    decisions: int
    scored: int
    fits: list[FitOut]
    skipped: list[str] = Field(description="case types no model could be fitted for")
    judges: list[JudgeOut]
    flagged_judges: int
    flags: list[FlagOut] = Field(description="decisions flagged at the false discovery rate")
    seconds: float
    export_seconds: float = Field(description="of which exporting the ledger snapshot")


@router.get(
    "/supervision/judges",
    summary="Judges whose decisions deviate from what the case facts predict",
    description="Out-of-fold models per case type grouped by judge, each decision's "
    "deviation score and each judge's deviation index, flagged by Benjamini-Hochberg at "
    "the false discovery rate of the supervision settings in force (docs/supervision.md).",
)
def get_judges(
    store: StoreDep,
    since: Annotated[dt.date | None, Query(description="decisions from this day")] = None,
    until: Annotated[dt.date | None, Query(description="decisions up to this day")] = None,
) -> JudgesReportOut:
    from socialcredit.supervision.judges import supervise_judges  # scikit-learn: on first use

    report = supervise_judges(store, since=since, until=until)
    return JudgesReportOut.model_validate(report.to_dict())
