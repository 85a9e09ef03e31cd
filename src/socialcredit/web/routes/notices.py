"""GET /v1/notices?subject=…: a subject's notices, for subject services and reviewers."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from socialcredit.access.keys import Forbidden
from socialcredit.notices.model import Notice, subject_notices
from socialcredit.web.deps import KeyDep, StoreDep
from socialcredit.web.schema import Subject

router = APIRouter(prefix="/v1", tags=["notices"])
ROLES = ("subject-service", "reviewer")


class NoticesOut(BaseModel):
    subject: str
    notices: list[Notice]


@router.get("/notices")
def get_notices(
    subject: Annotated[Subject, Query()],
    key: KeyDep,
    store: StoreDep,
) -> NoticesOut:
    """The notices about a subject or addressed to it, oldest first. Needs an API key with
    scope ``role:subject-service`` or ``role:reviewer``."""
    if not any(key.has_role(role) for role in ROLES):
        raise Forbidden(
            f"key {key.id} ({key.name}) needs scope role:subject-service or role:reviewer"
        )
    found = subject_notices(store, subject)
    return NoticesOut(subject=subject.strip().upper(), notices=found)
