"""/v1/appeals: appeal an objection decision; suspend the listing; decide the appeal.

An appeal belongs to its objection case: ``/v1/appeals/{case}`` names the
objection's case id. Roles: see :mod:`socialcredit.web.routes.remedy_access`.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from socialcredit.remedies.appeals import (
    AppealOutcome,
    decide_appeal,
    file_appeal,
    suspend_listing,
)
from socialcredit.remedies.cases import cases
from socialcredit.services.ingest import ingestor
from socialcredit.web.deps import KeyDep, StoreDep
from socialcredit.web.routes.remedy_access import (
    SUBJECT_SERVICE,
    case_out,
    cases_out,
    decided_by,
    require_reader,
    require_role,
    visible,
)
from socialcredit.web.routes.remedy_models import CaseOut, CasesOut

router = APIRouter(prefix="/v1/appeals", tags=["appeals"])


class AppealIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    case: str = Field(min_length=1, max_length=200, description="the objection case")
    grounds: str = Field(min_length=1, max_length=4000)
    evidence: str | None = Field(default=None, max_length=4000)


class SuspendIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reasons: str | None = Field(default=None, max_length=4000)


class AppealDecideIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome: AppealOutcome
    reasons: str = Field(min_length=1, max_length=4000)
    correction: dict[str, Any] | None = Field(
        default=None, description="overturned: correct the record instead of withdrawing it"
    )


@router.post("", status_code=201)
def post_appeal(body: AppealIn, key: KeyDep, store: StoreDep) -> CaseOut:
    """Appeal an objection decision, once and within its deadline (``role:subject-service``)."""
    require_role(key, SUBJECT_SERVICE)
    return case_out(store, file_appeal(ingestor(store), body.case, body.grounds, body.evidence))


@router.get("")
def get_appeals(key: KeyDep, store: StoreDep, overdue: bool = False) -> CasesOut:
    """Pending appeals."""
    require_reader(key)
    found = [v for v in cases(store, overdue, kind="objection") if v.case.state == "appealed"]
    return cases_out(key, found)


@router.get("/{case}")
def get_appeal(case: str, key: KeyDep, store: StoreDep) -> CaseOut:
    return case_out(store, visible(key, store, case))


@router.post("/{case}/suspend")
def post_suspend(case: str, body: SuspendIn, key: KeyDep, store: StoreDep) -> CaseOut:
    """Suspend the listing until the appeal is decided (the appeal reviewer role)."""
    require_role(key, visible(key, store, case).settings.reviewers.appeal)
    view = suspend_listing(ingestor(store), case, decided_by(key), body.reasons)
    return case_out(store, view, reassess=True)


@router.post("/{case}/decide")
def post_decide_appeal(case: str, body: AppealDecideIn, key: KeyDep, store: StoreDep) -> CaseOut:
    """Decide the appeal (the appeal reviewer role)."""
    require_role(key, visible(key, store, case).settings.reviewers.appeal)
    view = decide_appeal(
        ingestor(store),
        case,
        body.outcome,
        body.reasons,
        decided_by(key),
        correction=body.correction,
    )
    return case_out(store, view, reassess=True)
