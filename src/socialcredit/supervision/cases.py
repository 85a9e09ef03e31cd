"""Objection cases as supervision sees them: who had to answer, by when, when they did,
and whether the objection was upheld in the end.

Read from the remedy records of a snapshot (docs/remedies.md): the filing's ``ref`` is the
case id and names the provider that must answer (``provider``) and its deadline
(``answer_by``); later steps name the case in ``case``. An objection is *upheld* when
the record was corrected or withdrawn by the reviewer's decision, or the decision was
overturned on appeal (the step's outcome ``upheld`` means the record stood).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from socialcredit.supervision.records import Row

FILED = "remedy.objection_filed"
ANSWERED = "remedy.provider_answered"
DECIDED = "remedy.objection_decided"
APPEAL_DECIDED = "remedy.appeal_decided"
CATEGORIES = (FILED, ANSWERED, DECIDED, APPEAL_DECIDED)
CORRECTED = frozenset({"corrected", "withdrawn"})


@dataclass
class Case:
    id: str
    filing: str  # record id of the filing
    provider: str  # who must answer
    filed: dt.date
    answer_by: dt.date | None
    answered: dt.date | None = None
    answer: str | None = None  # record id of the answer
    decided: dt.date | None = None
    outcome: str | None = None
    decision: str | None = None  # record id of the decision
    appeal_outcome: str | None = None
    appeal: str | None = None  # record id of the appeal's decision

    @property
    def upheld(self) -> bool | None:
        """Whether the objection was upheld (None: not decided yet)."""
        if self.decided is None:
            return None
        return self.outcome in CORRECTED or self.appeal_outcome == "overturned"

    def answered_late(self, today: dt.date) -> bool:
        """The answer came after ``answer_by``, or is still owed after it."""
        if self.answer_by is None:
            return False
        if self.answered is not None:
            return self.answered > self.answer_by
        return self.answer_by < today

    def decision_records(self) -> list[str]:
        return [r for r in (self.decision, self.appeal) if r is not None]


def read_cases(rows: Iterable[Row]) -> list[Case]:
    """The objection cases among the remedy records (steps in ledger order)."""
    cases: dict[str, Case] = {}
    steps: list[Row] = []
    for row in rows:
        if row.category == FILED:
            cases[row.ref] = Case(
                row.ref,
                row.id,
                row.text("provider") or "",
                row.occurred,
                row.day("answer_by"),
            )
        elif row.category in CATEGORIES:
            steps.append(row)
    for row in steps:
        case = cases.get(row.text("case") or "")
        if case is None:
            continue
        if row.category == ANSWERED and case.answered is None:
            case.answered, case.answer = row.occurred, row.id
        elif row.category == DECIDED:
            case.decided, case.outcome, case.decision = row.occurred, row.text("outcome"), row.id
        elif row.category == APPEAL_DECIDED:
            case.appeal_outcome, case.appeal = row.text("outcome"), row.id
    return list(cases.values())


__all__ = ["CATEGORIES", "Case", "read_cases"]
