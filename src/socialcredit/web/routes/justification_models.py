"""The request and response models of /v1/justifications: what the court answers, the
reviewer's finding, and a justification request as ``remedies.justification.summary``
builds it (a key the service adds and a model lacks is refused, never dropped)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from socialcredit.clock import Instant
from socialcredit.remedies.justification import MAX_REASONS, MAX_TEXT
from socialcredit.web.routes.remedy_models import NextOut, StepOut


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AnswerIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(
        min_length=1,
        max_length=MAX_TEXT,
        description="the court's justification of the decision",
        examples=["The defendant reoffended during probation (Criminal Law art. 77)."],
    )


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome: Literal["justified", "unjustified"] = Field(
        description="whether the court's answer explains the deviation"
    )
    reasons: str = Field(min_length=1, max_length=MAX_REASONS)


class RequestIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    known_at: Instant | None = Field(
        default=None,
        description="run the analytic on the ledger as known then (default: now; without "
        "an offset, China time)",
    )


class AnswerOut(_Out):
    text: str
    answered_by: str = Field(
        description="who answered: over the API, the court's key (name, key id)"
    )
    on: str = Field(description="the day of the answer (YYYY-MM-DD)")


class FindingOut(_Out):
    outcome: Literal["justified", "unjustified"]
    reasons: str
    decided_by: str
    on: str


class JustificationOut(_Out):
    """A justification request: the flagged decision's facts, the court's answer, the
    finding, the next step with who must take it and by when, and every step."""

    case: str = Field(description="the case id (JUS-<yyyymmdd>-<12 hex>)")
    state: Literal["requested", "answered", "decided"]
    open: bool
    judge: str = Field(description="the judge who decided (the case's subject)")
    decision: str = Field(description="the flagged decision record's id")
    court: str | None = Field(description="the deciding court's USCC")
    provider: str | None = Field(description="the court as data provider: who answers")
    case_type: str | None
    modelled: str | None = Field(description="the outcome the analytic predicts")
    observed: float | None = Field(description="the decision's outcome, on that scale")
    predicted: float | None = Field(description="what comparable cases predict, out of fold")
    deviation_score: float | None
    p_value: float | None
    q_value: float | None = Field(description="Benjamini-Hochberg adjusted p-value")
    requested_on: str
    requested_by: str | None
    reviewer: str = Field(description="the role that decides (supervision judges.reviewer)")
    answer_by: str | None = Field(description="the court's last day to answer")
    review_by: str | None = Field(description="the reviewer's last day to decide")
    answer: AnswerOut | None
    finding: FindingOut | None
    next: NextOut | None
    steps: list[StepOut]


class JustificationsOut(_Out):
    cases: list[JustificationOut]


class RequestedOut(_Out):
    flagged: int = Field(description="decisions the analytic flagged")
    opened: list[JustificationOut] = Field(
        description="the requests opened now (a decision is sent for justification once)"
    )
