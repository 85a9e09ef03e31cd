"""GET /v1/supervision/providers: the data providers' reliability (supervisors and
auditors, by the permission table)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from socialcredit.supervision.report import MAX_WEEKS, providers_report
from socialcredit.web.deps import StoreDep

router = APIRouter(prefix="/v1/supervision", tags=["supervision"])


class ComponentOut(BaseModel):
    signal: str
    rate: float | None = Field(description="over the window (None: nothing to divide by)")
    weight: float
    full_at: float = Field(description="the rate that costs the whole weight")
    points: float = Field(description="what it costs, in points of 100")


class WeekScoreOut(BaseModel):
    week: dt.date
    score: float


class FeedOut(BaseModel):
    provider: str
    category: str = Field(description="'' for refusals that named no category of the catalogue")
    score: float = Field(description="reliability, 0-100")
    components: list[ComponentOut]
    sent: int = Field(description="records sent in the window: appended, resubmitted or refused")
    received: int
    refused_by_code: dict[str, int]
    hold: str | None = Field(description="the hold in force on the feed")
    series: list[WeekScoreOut]


class ProvidersOut(BaseModel):
    week: dt.date = Field(description="the week (its Monday) the scores are as of")
    window_weeks: int
    feeds: list[FeedOut] = Field(description="the least reliable first")


@router.get("/providers", summary="The data providers' reliability")
def get_providers(
    store: StoreDep,
    weeks: Annotated[int, Query(ge=1, le=MAX_WEEKS, description="weeks of scores")] = 12,
) -> ProvidersOut:
    """Every feed (a provider's records of one category) with its reliability score, its
    components and the hold in force on it, the least reliable first."""
    return ProvidersOut.model_validate(providers_report(store, weeks=weeks).to_dict())
