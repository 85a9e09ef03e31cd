"""The chain of due-process deadlines, computed in one place (docs/remedies.md, "Deadlines").

An objection moves through acceptance, the provider's answer and the review;
its decision can be appealed, and the appeal is decided; a repair
application is decided. Each deadline is computed from the day of the step
that starts it, with the remedy settings that apply to the subject:

* ``accept_by``: filing + ``accept_working_days`` working days;
* ``answer_by``: filing + ``accept_working_days + answer_working_days``
  working days (so it does not depend on when acceptance happened);
* ``review_by``: ``answer_by`` + ``review_days`` days -- the review runs on the
  provider's answer, so it always ends after the answer is due;
* ``appeal_by``: the objection decision + ``appeal_days`` days;
* ``decide_by`` of an appeal: the appeal + ``appeal_decision_days`` days;
* ``decide_by`` of a repair application: the application +
  ``repair_decision_working_days`` working days;
* ``answer_by`` of a justification request (the court explains a deviating
  decision): the request + ``answer_working_days`` working days, and its
  ``review_by``: ``answer_by`` + ``review_days`` days.

A period counted in calendar days whose last day is not a working day ends on
the next working day (Civil Procedure Law (2017) art. 82: a period whose last
day falls on a holiday ends on the first day after it), so every deadline is
a working day and every one comes after the day that starts it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from socialcredit.policy.remedies import Deadlines
from socialcredit.remedies.working_days import add_days, add_working_days, is_working_day


def period_end(start: dt.date, days: int) -> dt.date:
    """The last day of a period of ``days`` calendar days after ``start``, moved to the
    next working day when it falls on a weekend, a holiday or a day off."""
    day = add_days(start, days)
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


@dataclass(frozen=True)
class ObjectionDeadlines:
    accept_by: dt.date
    answer_by: dt.date
    review_by: dt.date


def objection(d: Deadlines, filed: dt.date) -> ObjectionDeadlines:
    """The deadlines an objection filed on ``filed`` gets."""
    answer_by = add_working_days(filed, d.accept_working_days + d.answer_working_days)
    return ObjectionDeadlines(
        accept_by=add_working_days(filed, d.accept_working_days),
        answer_by=answer_by,
        review_by=period_end(answer_by, d.review_days),
    )


def appeal_by(d: Deadlines, decided: dt.date) -> dt.date:
    """The last day to appeal an objection decided on ``decided``."""
    return period_end(decided, d.appeal_days)


def appeal_decide_by(d: Deadlines, appealed: dt.date) -> dt.date:
    """The day an appeal filed on ``appealed`` is decided by."""
    return period_end(appealed, d.appeal_decision_days)


def repair_decide_by(d: Deadlines, applied: dt.date) -> dt.date:
    """The day a repair application filed on ``applied`` is decided by."""
    return add_working_days(applied, d.repair_decision_working_days)


@dataclass(frozen=True)
class JustificationDeadlines:
    answer_by: dt.date
    review_by: dt.date


def justification(d: Deadlines, requested: dt.date) -> JustificationDeadlines:
    """The deadlines of a justification request made on ``requested``."""
    answer_by = add_working_days(requested, d.answer_working_days)
    return JustificationDeadlines(answer_by, period_end(answer_by, d.review_days))


__all__ = [
    "JustificationDeadlines",
    "ObjectionDeadlines",
    "appeal_by",
    "appeal_decide_by",
    "justification",
    "objection",
    "period_end",
    "repair_decide_by",
]
