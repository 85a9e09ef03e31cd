"""Where a subject objects or applies for repair: the exact command and endpoint.

A decision, a report and a notice name, for each record they rest on, how to
object to *that* record: the command line (``socialcredit objections file <subject>
--record <id> …``) and the HTTP call (``POST /v1/objections`` with its body).
Light on purpose (no store, no engine): the check builds these for every
refusal it gives.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

Grounds = Literal[
    "wrong", "missing", "duplicated", "outdated", "should_not_be_shown", "inconsistent"
]
GROUNDS: tuple[Grounds, ...] = (
    "wrong",
    "missing",
    "duplicated",
    "outdated",
    "should_not_be_shown",
    "inconsistent",
)
OBJECTION_COMMAND = "socialcredit objections file"
OBJECTION_ENDPOINT = "POST /v1/objections"
REPAIR_COMMAND = "socialcredit repairs apply"
REPAIR_ENDPOINT = "POST /v1/repairs"
_GROUNDS_TEXT = f"<one of: {', '.join(GROUNDS)}>"
_EVIDENCE_TEXT = "<what shows the record is wrong>"


class ObjectionPath(BaseModel):
    """How to object to one record: a command to run, or an HTTP call to make."""

    model_config = ConfigDict(frozen=True)

    record: str
    command: str  # the command line, with placeholders for the grounds and the evidence
    endpoint: str  # "POST /v1/objections"
    body: dict[str, str]  # the request body, placeholders likewise


def objection_path(subject: str, record: str, by: str | None = None) -> ObjectionPath:
    """How ``subject`` (or ``by``, its legal representative, say) objects to ``record``."""
    command = (
        f"{OBJECTION_COMMAND} {subject} --record {record} --grounds wrong "
        f'--evidence "{_EVIDENCE_TEXT}"' + (f" --by {by}" if by else "")
    )
    body = {"subject": subject, "record": record, "grounds": _GROUNDS_TEXT}
    body["evidence"] = _EVIDENCE_TEXT
    if by:
        body["filed_by"] = by
    return ObjectionPath.model_construct(  # trusted values: built for every refusal
        record=record, command=command, endpoint=OBJECTION_ENDPOINT, body=body
    )


__all__ = [
    "GROUNDS",
    "OBJECTION_COMMAND",
    "OBJECTION_ENDPOINT",
    "REPAIR_COMMAND",
    "REPAIR_ENDPOINT",
    "Grounds",
    "ObjectionPath",
    "objection_path",
]
