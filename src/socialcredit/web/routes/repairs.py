"""/v1/repairs: apply for credit repair, list and show applications, decide them.

Roles: see :mod:`socialcredit.web.routes.remedy_access`.
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from socialcredit.remedies.cases import cases
from socialcredit.remedies.repair import Showing, apply_repair, decide_repair
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
from socialcredit.web.schema import Subject

router = APIRouter(prefix="/v1/repairs", tags=["repairs"])


class RepairIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    subject: Subject
    record: str | None = Field(default=None, description="the record whose effect ends early")
    entry: str | None = Field(default=None, description="or the list entry removed early")
    pledge: bool = Field(default=False, description="a public credit pledge is made")
    course: bool = Field(default=False, description="a credit-repair course was completed")
    fulfilment: str | None = Field(default=None, description="record showing the obligation met")


class RepairDecideIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome: Literal["accepted", "refused"]
    reasons: str = Field(min_length=1, max_length=4000)


@router.post("", status_code=201)
def post_repair(body: RepairIn, key: KeyDep, store: StoreDep) -> CaseOut:
    """Apply for credit repair for a subject (``role:subject-service``)."""
    require_role(key, SUBJECT_SERVICE)
    showing = Showing(pledge=body.pledge, course=body.course, fulfilment=body.fulfilment)
    view = apply_repair(
        ingestor(store), body.subject, record=body.record, entry=body.entry, showing=showing
    )
    return case_out(store, view)


@router.get("")
def get_repairs(key: KeyDep, store: StoreDep, overdue: bool = False) -> CasesOut:
    """Repair applications waiting for a decision."""
    require_reader(key)
    return cases_out(key, cases(store, overdue, kind="repair"))


@router.get("/{case}")
def get_repair(case: str, key: KeyDep, store: StoreDep) -> CaseOut:
    return case_out(store, visible(key, store, case))


@router.post("/{case}/decide")
def post_decide_repair(case: str, body: RepairDecideIn, key: KeyDep, store: StoreDep) -> CaseOut:
    """Accept (effective today, published at once) or refuse (the repair reviewer role)."""
    require_role(key, visible(key, store, case).settings.reviewers.repair)
    accept = body.outcome == "accepted"
    view = decide_repair(ingestor(store), case, accept, body.reasons, decided_by(key))
    return case_out(store, view, reassess=True)
