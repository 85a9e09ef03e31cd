"""GET /v1/supervision/fairness: outcome monitoring (supervisors and auditors, by the
permission table). Information for the supervisors' review: no list, measure or decision
follows from it. The one web module that reads socialcredit.monitoring (import-linter's
``edges`` contract names it)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from socialcredit.monitoring.fairness import report_now
from socialcredit.web.deps import StoreDep

router = APIRouter(prefix="/v1/supervision", tags=["supervision"])


class RateOut(BaseModel):
    cases: int = Field(description="persons at risk of the outcome")
    events: int = Field(description="persons who met it")
    rate: float
    low: float = Field(description="Wilson interval, lower bound")
    high: float = Field(description="Wilson interval, upper bound")


class GroupOut(RateOut):
    dimension: str = Field(description="sex, age_band or home_region")
    group: str
    ratio: float | None = Field(description="population rate / group rate (None: no event)")
    flagged: bool


class OutcomeOut(BaseModel):
    scheme: str
    outcome: str = Field(description="listing, low_grade, denied_check or objection_upheld")
    title: str
    title_zh: str
    population: RateOut
    groups: list[GroupOut]


class FlagOut(BaseModel):
    scheme: str
    outcome: str
    dimension: str
    group: str
    ratio: float | None


class SettingsOut(BaseModel):
    threshold: float
    min_cases: int
    min_events: int
    confidence: float


class FairnessOut(BaseModel):
    day: dt.date
    settings: SettingsOut
    note: str
    outcomes: list[OutcomeOut]
    flags: list[FlagOut]


@router.get("/fairness", summary="Outcome monitoring by sex, age band and home region")
def get_fairness(
    store: StoreDep,
    day: Annotated[dt.date | None, Query(description="the day counted (default today)")] = None,
) -> FairnessOut:
    """Per scheme, the rates of listing, the two lowest grades, denied checks and
    objections upheld by group against the population, and the groups flagged."""
    return FairnessOut.model_validate(report_now(store, day).to_json())
