"""POST /v1/checks: one check, or up to 10,000 in one request.

The route below is the documented contract (its models make the OpenAPI
schema). Requests are served by :mod:`socialcredit.web.check_lane`, a lean
ASGI path that parses with the same models and answers with the same
:func:`answer`; a test holds the two to identical responses."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Annotated, Any

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, TypeAdapter

from socialcredit.access.keys import ApiKey
from socialcredit.clock import Instant
from socialcredit.enforcement.model import Decision
from socialcredit.enforcement.service import MAX_BULK, Enforcement
from socialcredit.errors import Malformed
from socialcredit.web.deps import EnforcementDep, KeyDep
from socialcredit.web.schema import Subject

router = APIRouter(prefix="/v1", tags=["checks"])


class CheckIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    subject: Subject
    action: str = Field(min_length=3, max_length=80)
    at: Instant | None = Field(
        default=None, description="valid time (default: now), 1900-01-01 to 9998-12-31"
    )
    purpose: str | None = Field(
        default=None, min_length=1, max_length=200, description="why the check is made"
    )
    reference: str | None = Field(
        default=None, min_length=1, max_length=200, description="the transaction it is for"
    )


class BulkCheckIn(CheckIn):
    reference: str = Field(
        min_length=1, max_length=200, description="the transaction this subject's check is for"
    )


class ChecksIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    purpose: str | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        description="why the subjects are checked (else each check states its own)",
    )
    checks: list[BulkCheckIn] = Field(min_length=1, max_length=MAX_BULK)


class ChecksOut(BaseModel):
    decisions: list[Decision]


def _shape(value: Any) -> str:
    """A body with a `checks` member is a batch; anything else one check."""
    many = isinstance(value, dict) and "checks" in value
    return "many-checks" if many else "one-check"


CheckRequest = Annotated[
    Annotated[CheckIn, Tag("one-check")] | Annotated[ChecksIn, Tag("many-checks")],
    Discriminator(_shape),
]
REQUEST: TypeAdapter[CheckIn | ChecksIn] = TypeAdapter(CheckRequest)


def answer(
    body: CheckIn | ChecksIn,
    key: ApiKey,
    service: Enforcement,
    tally: Callable[[Iterable[str]], None] | None = None,
) -> str:
    """The response body (JSON) for a parsed request. A bulk request states a purpose
    (for the request or for each check) and a transaction reference per check; every
    action must be in the key's scopes and in the catalogue of actions before any
    subject is checked (one unknown action refuses the whole request, naming the
    check: ``checks.3.action``). Every check of a bulk request is logged with its
    purpose and reference."""
    if isinstance(body, CheckIn):
        key.require_action(body.action)
        decision = service.check(
            body.subject,
            body.action,
            body.at,
            requester=key.id,
            purpose=body.purpose,
            reference=body.reference,
        )
        if tally is not None:
            tally((decision.outcome,))
        return decision.model_dump_json()
    purposes = [item.purpose or body.purpose for item in body.checks]
    for i, purpose in enumerate(purposes):
        if purpose is None:
            raise Malformed(
                "a bulk check states its purpose: `purpose` for the request or for each check",
                field=f"checks.{i}.purpose",
            )
    for item in body.checks:
        key.require_action(item.action)
    asked: set[tuple[str, Instant | None]] = set()
    for i, item in enumerate(body.checks):
        if (item.action, item.at) not in asked:
            service.require_action(item.action, item.at, field=f"checks.{i}.action")
            asked.add((item.action, item.at))
    decisions = [
        service.check(
            c.subject,
            c.action,
            c.at,
            requester=key.id,
            purpose=purpose,
            reference=c.reference,
            log_all=True,
        )
        for c, purpose in zip(body.checks, purposes, strict=True)
    ]
    if tally is not None:
        tally(d.outcome for d in decisions)
    return ChecksOut(decisions=decisions).model_dump_json()


@router.post(
    "/checks",
    response_model=Decision | ChecksOut,
    responses={200: {"description": "one decision, or {decisions: [...]} for a batch"}},
)
async def post_checks(
    body: CheckRequest, key: KeyDep, service: EnforcementDep, request: Request
) -> Response:
    """Decide whether subjects may do actions. Each action must be within the key's scopes.

    A check reads only the in-memory index and list entries, so it runs on the
    event loop without a thread hop."""
    decided = request.app.state.metrics.decided
    return Response(answer(body, key, service, decided), media_type="application/json")
