"""/v1/holds: feeds on hold and what they quarantine; reviewers release or reject it."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field

from socialcredit.access.keys import ApiKey
from socialcredit.errors import NotFound
from socialcredit.services.holds import reject, release
from socialcredit.supervision.hold_decisions import MAX_REASON, Decision
from socialcredit.supervision.holds import get_hold, held_records, list_holds
from socialcredit.web.deps import KeyDep, StoreDep

router = APIRouter(prefix="/v1/holds", tags=["holds"])
HoldId = Annotated[str, Path(max_length=40)]
Records = Annotated[list[Annotated[str, Field(max_length=32)]], Field(max_length=10_000)]


class SignalOut(BaseModel):
    signal: str
    value: float
    threshold: float


class CountsOut(BaseModel):
    held: int = Field(description="still held, waiting for a decision")
    released: int
    rejected: int


class HoldOut(BaseModel):
    id: str
    provider: str
    category: str
    week: dt.date = Field(description="the arrival week whose signals placed it")
    placed_at: dt.datetime
    signals: list[SignalOut]
    state: Literal["open", "released", "rejected"]
    ended_at: dt.datetime | None
    ended_by: str | None
    records: CountsOut


class HoldsOut(BaseModel):
    holds: list[HoldOut]


class HeldRecordOut(BaseModel):
    hold: str
    id: str
    ref: str
    subject: str
    category: str
    occurred_at: dt.date
    held_at: dt.datetime
    state: Literal["held", "released", "rejected"]
    decided_by: str | None
    reason: str | None
    withdrawal: str | None = Field(description="the withdrawal of a rejected record")


class HoldDetailOut(BaseModel):
    hold: HoldOut
    held_records: list[HeldRecordOut]


class ReleaseIn(BaseModel):
    records: Records | None = Field(
        default=None, description="records of the hold; none: every one held, ending the hold"
    )
    reason: str | None = Field(default=None, max_length=MAX_REASON)


class RejectIn(BaseModel):
    reason: str = Field(min_length=1, max_length=MAX_REASON, description="the withdrawals cite it")
    records: Records | None = Field(
        default=None, description="records of the hold; none: every one held, ending the hold"
    )


class DecisionOut(BaseModel):
    hold: str
    outcome: Literal["released", "rejected"]
    records: list[str]
    ended: bool = Field(description="the decision ended the hold")


@router.get("", summary="Holds")
def get_holds(store: StoreDep, all: bool = False) -> HoldsOut:
    """The holds in force (``all``: every hold ever placed), newest first."""
    with store.reader() as conn:
        found = list_holds(conn, everything=all)
    return HoldsOut(holds=[HoldOut.model_validate(h.to_dict()) for h in found])


@router.get("/{hold}", summary="One hold and its records")
def get_one(hold: HoldId, store: StoreDep) -> HoldDetailOut:
    with store.reader() as conn:
        view = get_hold(conn, hold)
        if view is None:
            raise NotFound(f"no hold {hold!r}", field="hold")
        found = held_records(conn, [hold])
    return HoldDetailOut(
        hold=HoldOut.model_validate(view.to_dict()),
        held_records=[HeldRecordOut.model_validate(r.to_dict()) for r in found],
    )


@router.post("/{hold}/release", summary="Release what a hold quarantined")
def post_release(hold: HoldId, body: ReleaseIn, key: KeyDep, store: StoreDep) -> DecisionOut:
    """The records count from now on, with notices as usual."""
    decision = release(store, hold, by=_by(key), records=body.records, reason=body.reason)
    return _out(decision)


@router.post("/{hold}/reject", summary="Reject what a hold quarantined")
def post_reject(hold: HoldId, body: RejectIn, key: KeyDep, store: StoreDep) -> DecisionOut:
    """Each record is withdrawn, citing the hold and the reason."""
    decision = reject(store, hold, by=_by(key), reason=body.reason, records=body.records)
    return _out(decision)


def _by(key: ApiKey) -> str:
    return f"{key.name} (key {key.id})"


def _out(decision: Decision) -> DecisionOut:
    return DecisionOut.model_validate(decision.to_dict())
