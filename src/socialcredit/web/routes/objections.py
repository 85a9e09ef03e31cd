"""/v1/objections: file, list and show objections; accept, answer and decide them.

Roles: see :mod:`socialcredit.web.routes.remedy_access`.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from socialcredit.access.keys import Forbidden
from socialcredit.enforcement.paths import Grounds
from socialcredit.remedies.affected import report
from socialcredit.remedies.cases import cases
from socialcredit.remedies.objections import (
    Outcome,
    accept_objection,
    answer_objection,
    decide_objection,
    file_objection,
)
from socialcredit.services.ingest import ingestor
from socialcredit.web.deps import KeyDep, StoreDep
from socialcredit.web.routes.remedy_access import (
    SUBJECT_SERVICE,
    case_out,
    cases_out,
    decided_by,
    providers_of,
    require_reader,
    require_role,
    visible,
)
from socialcredit.web.routes.remedy_models import AffectedReportOut, CaseOut, CasesOut
from socialcredit.web.schema import Subject

router = APIRouter(prefix="/v1/objections", tags=["objections"])


class ObjectionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    subject: Subject
    record: str | None = Field(default=None, description="the record contested")
    entry: str | None = Field(default=None, description="or a list entry: its ground record")
    grounds: Grounds
    evidence: str = Field(min_length=1, max_length=4000)
    filed_by: str | None = Field(default=None, description="an authorised representative")


class AnswerIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome: Outcome
    reasons: str = Field(min_length=1, max_length=4000)
    correction: dict[str, Any] | None = Field(
        default=None, description="the corrected record, for outcome corrected"
    )


class DecideIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reasons: str = Field(min_length=1, max_length=4000)
    outcome: Outcome | None = Field(default=None, description="default: the provider's answer")
    correction: dict[str, Any] | None = None


@router.post("", status_code=201)
def post_objection(body: ObjectionIn, key: KeyDep, store: StoreDep) -> CaseOut:
    """File an objection for a subject (``role:subject-service``)."""
    require_role(key, SUBJECT_SERVICE)
    view = file_objection(
        ingestor(store),
        body.subject,
        record=body.record,
        entry=body.entry,
        grounds=body.grounds,
        evidence=body.evidence,
        filed_by=body.filed_by,
    )
    return case_out(store, view)


@router.get("")
def get_objections(key: KeyDep, store: StoreDep, overdue: bool = False) -> CasesOut:
    """Open objections (waiting for acceptance, an answer, a decision or an appeal)."""
    require_reader(key)
    return cases_out(key, cases(store, overdue, kind="objection"))


@router.get("/affected")
def get_affected(key: KeyDep, store: StoreDep) -> AffectedReportOut:
    """Decisions made on records later corrected or withdrawn, by relying party: all of
    them for ``role:reviewer``, a relying party's own for any other key."""
    body = report(store)
    if not key.has_role("reviewer"):
        mine = {k: v for k, v in body["requesters"].items() if k == key.id}
        body = {"total": sum(len(v) for v in mine.values()), "requesters": mine}
    return AffectedReportOut.model_validate(body)


@router.get("/{case}")
def get_objection(case: str, key: KeyDep, store: StoreDep) -> CaseOut:
    return case_out(store, visible(key, store, case))


@router.post("/{case}/accept")
def post_accept(case: str, key: KeyDep, store: StoreDep) -> CaseOut:
    """Accept an objection for review (the objection reviewer role)."""
    require_role(key, visible(key, store, case).settings.reviewers.objection)
    return case_out(store, accept_objection(ingestor(store), case))


@router.post("/{case}/answer")
def post_answer(case: str, body: AnswerIn, key: KeyDep, store: StoreDep) -> CaseOut:
    """The provider's answer (``role:provider:<the provider that reported the record>``)."""
    provider = visible(key, store, case).case.provider
    if provider is None or provider not in providers_of(key):
        raise Forbidden(f"key {key.id} ({key.name}) needs scope role:provider:{provider}")
    view = answer_objection(
        ingestor(store),
        case,
        body.outcome,
        body.reasons,
        provider=provider,
        correction=body.correction,
    )
    return case_out(store, view, reassess=True)


@router.post("/{case}/decide")
def post_decide(case: str, body: DecideIn, key: KeyDep, store: StoreDep) -> CaseOut:
    """The reviewer's decision (the objection reviewer role); it opens the appeal window."""
    require_role(key, visible(key, store, case).settings.reviewers.objection)
    view = decide_objection(
        ingestor(store),
        case,
        body.reasons,
        decided_by(key),
        outcome=body.outcome,
        correction=body.correction,
    )
    return case_out(store, view, reassess=True)
