"""The response models of the remedy routes (objections, appeals, repairs): a case, a
list of cases, the subject as it stands after a step, and the affected-decisions report.

They describe exactly the JSON the remedies services build (``CaseView.to_dict``,
``services.assess``, ``remedies.affected.report``), so OpenAPI shows every field;
days and times are ISO strings as there. Record attributes and the explanation items
of a report vary by category and rule, so they are JSON values. A key the services
add and a model lacks is refused (``extra="forbid"``), never dropped from an answer.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NextOut(_Out):
    action: str = Field(description="the step the case waits for")
    who: str = Field(description="subject, provider:<id> or a reviewer role")
    deadline: str | None = Field(description="the last day for it (YYYY-MM-DD)")
    optional: bool
    overdue: bool


class StepOut(_Out):
    category: str = Field(description="the remedy record's category (remedy.*)")
    state: str | None = Field(description="the case's state after it (none: unchanged)")
    record: str
    ref: str
    on: str = Field(description="the day of the step (YYYY-MM-DD)")
    attributes: dict[str, JsonValue]


class CaseBody(_Out):
    """One case: its state, the next action with who must take it and by when, its steps."""

    case: str = Field(description="the case id (the ref of its filing)")
    kind: Literal["objection", "repair"]
    subject: str
    state: str
    open: bool
    target: str = Field(description="the record contested or to be repaired")
    entry: str | None
    provider: str | None = Field(description="objections: the provider that must answer")
    filed_on: str
    outcome: str | None
    listing_suspended: bool
    next: NextOut | None
    steps: list[StepOut]


class SchemeScore(_Out):
    score: float | None
    domains: dict[str, float | None]


class BetterGradeOut(_Out):
    grade: str
    by_itself_on: str | None
    grade_then: str | None
    score_then: float | None
    ending: list[dict[str, JsonValue]]
    sooner: list[dict[str, JsonValue]]
    score_sooner: float | None


class AssessmentOut(_Out):
    """A subject's assessment as ``socialcredit report --json`` gives it."""

    policy_note: str | None
    subject: str
    kind: str
    jurisdiction: str
    at: str
    known_at: str
    policy_version: str
    scores: dict[str, SchemeScore]
    grades: dict[str, str | None]
    status: dict[str, str]
    contributions: list[dict[str, JsonValue]]
    merged: list[dict[str, JsonValue]]
    expired: list[dict[str, JsonValue]]
    what_would_change: list[dict[str, JsonValue]]
    better_grade: dict[str, BetterGradeOut]


class SubjectOut(AssessmentOut):
    """The subject as it now stands (``socialcredit report --json``) with its list entries."""

    lists: list[dict[str, JsonValue]] = Field(description="the subject's list entries")


class CaseOut(_Out):
    """A case (``case``) and, after a step that changes an outcome, the subject as it
    now stands (``subject``: grades, scores, expired records and list entries)."""

    case: CaseBody
    subject: SubjectOut | None = None


class CasesOut(_Out):
    cases: list[CaseBody]


class AffectedOut(_Out):
    """One decision that rested on a record later corrected or withdrawn."""

    decision: int = Field(description="its number in the decision log")
    decided_at: str
    requester: str
    subject: str
    action: str
    outcome: str
    known_at: str
    record: str
    replaced_by: str
    how: Literal["corrected", "withdrawn"]
    replaced_at: str
    case: str | None = Field(description="the objection case that led to it, if any")


class AffectedReportOut(_Out):
    total: int
    requesters: dict[str, list[AffectedOut]]
