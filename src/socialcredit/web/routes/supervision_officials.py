"""GET /v1/supervision/officials and GET /v1/supervision/jurisdictions: the supervision
indicators of officials and institutions, and local governments' responsiveness to
directives (supervisors and auditors, by the permission table). Information only."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from socialcredit.supervision.jurisdictions import jurisdictions_report
from socialcredit.supervision.officials import officials_report
from socialcredit.web.deps import StoreDep

router = APIRouter(prefix="/v1/supervision", tags=["supervision"])

Since = Annotated[
    dt.date | None, Query(description="first day of the period (default: a year before until)")
]
Until = Annotated[dt.date | None, Query(description="last day of the period (default: today)")]
Scalar = str | int | float | bool | None


class PeriodOut(BaseModel):
    since: dt.date
    until: dt.date


class FlagOut(BaseModel):
    """One red flag and the records that raise it (fields by kind of flag)."""

    records: list[str]
    supplier: str | None = None
    awards: int | None = Field(default=None, description="awards in the pattern")
    first: dt.date | None = None
    last: dt.date | None = None
    amount: float | None = None
    awarded: dt.date | None = Field(default=None, description="the award to a listed supplier")
    lists: list[str] | None = Field(default=None, description="black lists in force that day")
    entries: list[str] | None = None


class UnitOut(BaseModel):
    unit: str = Field(description="the institution's USCC or the official's identity number")
    name: str = Field(description="the institution's name, or the official's title")
    group: str = Field(description="comparable units: institution type / level")
    value: float | None = Field(description="the count or rate; null: nothing to divide by")
    numerator: float
    denominator: int | None
    percentile: float | None = Field(description="percentile rank in the group (0-100)")
    records: list[str] = Field(description="ids of the records behind the value")
    institution: str | None = Field(default=None, description="an official's institution")
    amount: float | None = None
    flags: list[FlagOut] = []


class IndicatorOut(BaseModel):
    id: str
    title: str
    title_zh: str
    formula: dict[str, Scalar | list[str]] = Field(description="computation and parameters")
    red_flag: bool
    note: str
    units: dict[str, list[UnitOut]] = Field(description="institution and/or official")


class OfficialsOut(BaseModel):
    kind: str
    information_only: bool
    notice: str
    known_at: dt.datetime
    period: PeriodOut
    policy_version: str
    institutions: int
    officials: int
    indicators: list[IndicatorOut]


class DistributionOut(BaseModel):
    count: int
    mean: float | None
    min: float | None
    p25: float | None
    median: float | None
    p75: float | None
    max: float | None


class ResponseOut(BaseModel):
    rank: int | None
    jurisdiction: str
    addressee: str
    name: str
    implemented: dt.date | None
    evidence: str
    days_to_implement: int | None
    days_late: int
    on_time: bool | None = Field(description="null: not implemented and not yet due")
    data_on_time: float | None
    data_reports: int
    objections_on_time: float | None
    objections_due: int
    score: float | None
    records: list[str]


class DirectiveOut(BaseModel):
    directive: str
    issuer: str
    task: str
    target: str
    issued: dt.date
    deadline: dt.date
    addressees: int
    implemented: int
    on_time: int
    days_to_implement: DistributionOut
    scores: DistributionOut
    ranking: list[ResponseOut]


class StandingOut(BaseModel):
    rank: int | None
    jurisdiction: str
    name: str
    directives: int
    on_time: int
    late_or_owed: int
    mean_days_late: float
    mean_score: float | None


class QuarterOut(BaseModel):
    quarter: str
    directives: int
    responses: int
    on_time_share: float | None
    days_to_implement: DistributionOut
    jurisdictions: list[StandingOut]


class WeightsOut(BaseModel):
    implementation: float
    data_on_time: float
    objections_on_time: float


class JurisdictionsOut(BaseModel):
    kind: str
    information_only: bool
    notice: str
    known_at: dt.datetime
    period: PeriodOut
    policy_version: str
    weights: WeightsOut
    report_within_working_days: int
    grace_days: int
    ranking: list[StandingOut]
    directives: list[DirectiveOut]
    over_time: list[QuarterOut]


@router.get(
    "/officials",
    summary="Supervision indicators of officials and institutions (information only)",
)
def get_officials(
    store: StoreDep,
    since: Since = None,
    until: Until = None,
    indicator: Annotated[list[str] | None, Query(description="only these indicators")] = None,
) -> OfficialsOut:
    report = officials_report(store, since=since, until=until, only=indicator or ())
    return OfficialsOut.model_validate(report.to_dict())


@router.get(
    "/jurisdictions",
    summary="Local governments' responsiveness to directives (information only)",
)
def get_jurisdictions(
    store: StoreDep, since: Since = None, until: Until = None
) -> JurisdictionsOut:
    report = jurisdictions_report(store, since=since, until=until)
    return JurisdictionsOut.model_validate(report.to_dict())
