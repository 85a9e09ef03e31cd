"""/v1/justifications: the justification requests the judges' analytic opens, answered
by the court and decided by a reviewer (docs/supervision.md).

API keys, by scope:

* ``role:supervisor`` -- run the analytic and open a request for every flagged
  decision without one (``POST /v1/justifications``); read every request;
* ``role:provider:<id>`` -- the court that reported the decision: read its own
  requests and answer them with text;
* the role a request names (``supervision.yaml`` ``judges.reviewer``, by default
  ``role:reviewer``) -- read the requests it decides and find each ``justified`` or
  ``unjustified``;
* ``role:auditor`` -- read every request.

A request a key may not read answers 404 exactly as one that does not exist, and so
does a case of another kind (an objection's id): a court cannot learn which other
requests exist. The gate (the permission table) refuses a step the key's roles cannot
take before the case is looked at.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from socialcredit.access.keys import ApiKey, Forbidden
from socialcredit.clock import bounded_instant
from socialcredit.remedies.cases import CaseView, cases, show
from socialcredit.remedies.errors import CaseNotFound
from socialcredit.remedies.justification import (
    answer_justification,
    decide_justification,
    reviewer_of,
    summary,
)
from socialcredit.services.ingest import ingestor
from socialcredit.store.database import Store
from socialcredit.web.deps import KeyDep, StoreDep
from socialcredit.web.routes.justification_models import (
    AnswerIn,
    DecisionIn,
    JustificationOut,
    JustificationsOut,
    RequestedOut,
    RequestIn,
)
from socialcredit.web.routes.remedy_access import decided_by, providers_of, require_role

router = APIRouter(prefix="/v1/justifications", tags=["justifications"])
CaseId = Annotated[str, Path(max_length=40, description="JUS-<yyyymmdd>-<12 hex>")]
EVERY = ("supervisor", "auditor")  # the roles that read every request


def may_read(key: ApiKey, view: CaseView) -> bool:
    if view.case.kind != "justification":
        return False
    if any(key.has_role(role) for role in (*EVERY, reviewer_of(view.case))):
        return True
    return view.case.provider is not None and view.case.provider in providers_of(key)


def visible(key: ApiKey, store: Store, case_id: str) -> CaseView:
    """The request, if this key may read it; else 404, as for one that does not exist."""
    try:
        view = show(store, case_id)
    except CaseNotFound:
        view = None
    if view is None or not may_read(key, view):
        raise CaseNotFound(f"no justification request {case_id!r}", field="case")
    return view


def out(view: CaseView) -> JustificationOut:
    return JustificationOut.model_validate(summary(view))


@router.post(
    "",
    summary="Request a justification of every flagged decision without one",
    description="Runs the judges' analytic (as GET /v1/supervision/judges) and opens a "
    "request for each decision it flags that was never sent for justification, for the "
    "deciding court to answer (role:supervisor).",
)
def post_requests(key: KeyDep, store: StoreDep, body: RequestIn | None = None) -> RequestedOut:
    from socialcredit.supervision.judges import supervise_judges  # scikit-learn: on first use
    from socialcredit.supervision.justification import request_flagged

    known_at = bounded_instant(body.known_at) if body and body.known_at else None
    report = supervise_judges(store, known_at=known_at)
    opened = request_flagged(ingestor(store), report, decided_by(key))
    return RequestedOut(flagged=len(report.flags), opened=[out(v) for v in opened])


@router.get(
    "",
    summary="Open justification requests, the earliest deadline first",
    description="A court's key sees its own; a reviewer's key those its role decides.",
)
def get_requests(
    key: KeyDep,
    store: StoreDep,
    state: Annotated[
        Literal["requested", "answered"] | None,
        Query(description="requested: waiting for the court; answered: for the reviewer"),
    ] = None,
    overdue: Annotated[bool, Query(description="only those past their deadline")] = False,
) -> JustificationsOut:
    found = cases(store, overdue, kind="justification")
    mine = [v for v in found if may_read(key, v) and state in (None, v.case.state)]
    return JustificationsOut(cases=[out(v) for v in mine])


@router.get("/{case}", summary="One justification request")
def get_request(case: CaseId, key: KeyDep, store: StoreDep) -> JustificationOut:
    return out(visible(key, store, case))


@router.post(
    "/{case}/answer",
    summary="The court's justification of the flagged decision",
    description="By the key of the court that reported the decision "
    "(role:provider:<id>), by the request's answer_by day.",
)
def post_answer(case: CaseId, body: AnswerIn, key: KeyDep, store: StoreDep) -> JustificationOut:
    provider = visible(key, store, case).case.provider
    if provider is None or provider not in providers_of(key):
        raise Forbidden(f"key {key.id} ({key.name}) needs scope role:provider:{provider}")
    view = answer_justification(
        ingestor(store), case, body.text, answered_by=decided_by(key), provider=provider
    )
    return out(view)


@router.post(
    "/{case}/decision",
    summary="The reviewer's finding: justified or unjustified",
    description="By a key of the role the request names (supervision judges.reviewer), "
    "once the court has answered.",
)
def post_decision(case: CaseId, body: DecisionIn, key: KeyDep, store: StoreDep) -> JustificationOut:
    require_role(key, reviewer_of(visible(key, store, case).case))
    view = decide_justification(ingestor(store), case, body.outcome, body.reasons, decided_by(key))
    return out(view)
