"""GET /v1/subjects/{code}/report: a subject's full report, to those it concerns.

* a subject's portal login reads its own report; another subject's code answers
  404, exactly as a code with nothing recorded (a 403 would confirm that the
  other code is known);
* a credit service agency (a login of an agency, or a key with scope
  ``role:agency:<id>``) reads a report only under a grant of the subject in force
  for the ``purpose`` it names (:func:`socialcredit.services.agencies.read_report`,
  which logs the read; otherwise 403 ``not_authorised``);
* a subject service (``role:subject-service``) reads any report.

The subject's own report (and a subject service's) carries its risk score with the
reasons and the model version; an agency's read does not.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import Field, JsonValue

from socialcredit.access.principal import AGENCY, SUBJECT, SUBJECT_SERVICE
from socialcredit.errors import NotFound
from socialcredit.identifiers import parse
from socialcredit.services.agencies import MAX_PURPOSE, read_report
from socialcredit.services.report import subject_report
from socialcredit.web.deps import StoreDep
from socialcredit.web.gate import principal_of
from socialcredit.web.routes.remedy_models import AssessmentOut
from socialcredit.web.routes.risk import RiskScoreOut

router = APIRouter(prefix="/v1", tags=["reports"])


class ReportOut(AssessmentOut):
    """The subject's full report (``services.report.subject_report``): scores and grades,
    every contribution with its rule, legal basis, expiry and objection path, the list
    entries, the measures in force with the actions they restrict, the way to a better
    grade, and the records linked to it by matching."""

    entries: list[dict[str, JsonValue]] = Field(description="the list entries reaching it")
    measures: list[dict[str, JsonValue]] = Field(description="measures in force, with actions")
    risk: RiskScoreOut | None = Field(
        None,
        description="the subject's own report only: its risk score under the active model, "
        "the four reasons lowering it most and the model version (informs a review; no "
        "list entry or measure follows from it)",
    )
    linked_by_matching: list[dict[str, JsonValue]] = Field(
        default_factory=list,
        description="records reported without an identifier and linked to the subject by "
        "entity resolution: model version, probability, confirmed by a reviewer or not, "
        "objection path",
    )


@router.get("/subjects/{code}/report")
def get_report(
    code: str,
    request: Request,
    store: StoreDep,
    purpose: Annotated[
        str,
        Query(max_length=MAX_PURPOSE, description="agencies: the purpose of the grant"),
    ] = "",
) -> ReportOut:
    """The full report of ``code`` (a resident identity number or a USCC)."""
    principal = principal_of(request.scope)
    subject = parse(code, "code").value
    if principal.has(SUBJECT_SERVICE) or (principal.has(SUBJECT) and principal.subject == subject):
        return ReportOut.model_validate(subject_report(store, subject, risk=True))
    if principal.has(AGENCY) and principal.agency:
        return ReportOut.model_validate(read_report(store, principal.agency, subject, purpose))
    raise NotFound(f"no subject {subject!r} in the ledger", field="code")
