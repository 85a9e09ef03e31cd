"""POST /v1/checks: one check, or up to 10,000 in one request."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict, Field

from socialcredit.enforcement.model import Decision
from socialcredit.enforcement.service import MAX_BULK
from socialcredit.web.deps import EnforcementDep, KeyDep

router = APIRouter(prefix="/v1", tags=["checks"])


class CheckIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    subject: str = Field(min_length=1, max_length=40)
    action: str = Field(min_length=3, max_length=80)
    at: dt.datetime | None = Field(default=None, description="valid time (default: now)")


class ChecksIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    checks: list[CheckIn] = Field(min_length=1, max_length=MAX_BULK)


class ChecksOut(BaseModel):
    decisions: list[Decision]


@router.post(
    "/checks",
    response_model=Decision | ChecksOut,
    responses={200: {"description": "one decision, or {decisions: [...]} for a batch"}},
)
async def post_checks(body: CheckIn | ChecksIn, key: KeyDep, service: EnforcementDep) -> Response:
    """Decide whether subjects may do actions. Each action must be within the key's scopes.

    A check reads only the in-memory index and list entries, so it runs on the
    event loop without a thread hop."""
    if isinstance(body, CheckIn):
        key.require_action(body.action)
        decision = service.check(body.subject, body.action, body.at, requester=key.id)
        return Response(decision.model_dump_json(), media_type="application/json")
    for item in body.checks:
        key.require_action(item.action)
    out = ChecksOut(
        decisions=[service.check(c.subject, c.action, c.at, requester=key.id) for c in body.checks]
    )
    return Response(out.model_dump_json(), media_type="application/json")
