"""/v1/resolution/review: the reviewer's queue of entity resolution -- records that
arrived without an identifier and matched a person between the pack's thresholds (or
with a namesake, or by a name only alike) -- and the reviewer's decisions. A confirmed
link makes the record count for the person, lists and measures included; a rejected
candidate leaves the record unlinked, counted nowhere."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field

from socialcredit.access.keys import ApiKey
from socialcredit.resolution.resolve import confirm, reject, review_queue
from socialcredit.services.ingest import ingestor
from socialcredit.web.deps import KeyDep, StoreDep

router = APIRouter(prefix="/v1/resolution", tags=["resolution"])
RecordId = Annotated[str, Path(max_length=32, description="the record without identifier")]


class QueuedOut(BaseModel):
    id: str
    provider: str
    ref: str
    category: str
    occurred_at: dt.date
    hint: dict[str, Any] = Field(description="name, birth_date, address, phone, area as reported")
    candidate: str | None = Field(description="the registry person the match found")
    probability: float | None = Field(description="the match probability")
    model: str | None = Field(description="the match model version that scored it")
    excluded: list[str] = Field(
        description="persons who objected to an earlier link of the record and won: it "
        "may not be linked to them"
    )


class QueueOut(BaseModel):
    records: list[QueuedOut]


class ConfirmIn(BaseModel):
    subject: str | None = Field(
        default=None, max_length=18, description="the person, if not the candidate"
    )


class DecidedOut(BaseModel):
    record: str
    outcome: str = Field(description="linked (confirmed) or rejected")
    subject: str | None
    by: str


@router.get("/review", summary="Records without identifier waiting for a reviewer")
def get_review(store: StoreDep) -> QueueOut:
    """Oldest first, each with its best candidate and match probability."""
    return QueueOut(records=[QueuedOut.model_validate(q) for q in review_queue(store)])


@router.post("/review/{record}/confirm", summary="Confirm a link")
def post_confirm(record: RecordId, body: ConfirmIn, key: KeyDep, store: StoreDep) -> DecidedOut:
    """The record is linked to the candidate (or to ``subject``) and counts for the
    person, lists and measures included."""
    by = _by(key)
    person = confirm(store, ingestor(store), record, by, body.subject)
    return DecidedOut(record=record, outcome="linked", subject=person, by=by)


@router.post("/review/{record}/reject", summary="Reject a candidate")
def post_reject(record: RecordId, key: KeyDep, store: StoreDep) -> DecidedOut:
    """The candidate is not the person: the record stays unlinked, counted nowhere."""
    by = _by(key)
    reject(store, record, by)
    return DecidedOut(record=record, outcome="rejected", subject=None, by=by)


def _by(key: ApiKey) -> str:
    return f"{key.name} (key {key.id})"
