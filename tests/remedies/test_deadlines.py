"""The chain of due-process deadlines keeps its order on every day, across holidays.

Review runs on the provider's answer, so ``review_by`` comes after ``answer_by``;
an appeal is due after its decision and decided after it is filed; a repair
application is decided after it is filed. Every deadline is a working day: a
calendar period ending on a weekend or holiday runs to the next working day
(Civil Procedure Law (2017) art. 82). The dates drawn span the Spring
Festival and National Day weeks with their make-up working weekends.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from socialcredit.policy.remedies import Deadlines
from socialcredit.remedies import deadlines
from socialcredit.remedies.working_days import is_working_day

DAYS = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2027, 12, 31))
# the week before and the weeks of the long holidays, with their make-up Saturdays
HOLIDAY_SEASONS = st.sampled_from(
    [
        dt.date(2024, 2, 4),  # Saturday 4 February 2024 is worked; 10-17 off
        dt.date(2024, 9, 29),  # Sunday 29 September 2024 is worked; 1-7 October off
        dt.date(2025, 1, 26),  # Sunday 26 January 2025 is worked; 28 Jan - 4 Feb off
        dt.date(2026, 2, 13),  # Saturday 14 February 2026 is worked; 15-23 off
        dt.date(2026, 9, 27),
    ]
).flatmap(lambda d: st.integers(0, 20).map(lambda k: d + dt.timedelta(days=k)))
FILED = st.one_of(DAYS, HOLIDAY_SEASONS)
SETTINGS = st.builds(
    Deadlines,
    accept_working_days=st.integers(1, 10),
    answer_working_days=st.integers(1, 30),
    review_days=st.integers(1, 60),
    appeal_days=st.integers(1, 60),
    appeal_decision_days=st.integers(1, 90),
    repair_decision_working_days=st.integers(1, 30),
)


@settings(max_examples=300, deadline=None)
@given(
    d=st.one_of(st.just(Deadlines()), SETTINGS),
    filed=FILED,
    decided_after=st.integers(0, 90),
    appealed_after=st.integers(0, 90),
)
def test_the_deadlines_of_a_case_come_in_order(
    d: Deadlines, filed: dt.date, decided_after: int, appealed_after: int
) -> None:
    due = deadlines.objection(d, filed)
    assert filed < due.accept_by < due.answer_by < due.review_by
    decided = filed + dt.timedelta(days=decided_after)
    appeal_by = deadlines.appeal_by(d, decided)
    assert decided < appeal_by
    appealed = min(decided + dt.timedelta(days=appealed_after), appeal_by)
    decide_by = deadlines.appeal_decide_by(d, appealed)
    assert appealed < decide_by
    repair_by = deadlines.repair_decide_by(d, filed)
    assert filed < repair_by
    for day in (due.accept_by, due.answer_by, due.review_by, appeal_by, decide_by, repair_by):
        assert is_working_day(day), day


def test_the_review_ends_after_the_answer_over_a_holiday() -> None:
    # filed on Friday 13 February 2026, before the Spring Festival: the answer is due on
    # 9 March; the review, 15 days after it, on Tuesday 24 March -- never before the answer
    due = deadlines.objection(Deadlines(), dt.date(2026, 2, 13))
    assert due.answer_by == dt.date(2026, 3, 9)
    assert due.review_by == dt.date(2026, 3, 24)
    # 1 December 2026: answer by 17 December, review by 1 January -> the first working day
    due = deadlines.objection(Deadlines(), dt.date(2026, 12, 1))
    assert due.answer_by == dt.date(2026, 12, 17)
    assert due.review_by > due.answer_by and is_working_day(due.review_by)


def test_a_period_ending_on_a_holiday_ends_on_the_next_working_day() -> None:
    # 10 days after 21 September 2026 is National Day; the holiday runs to 7 October
    end = deadlines.period_end(dt.date(2026, 9, 21), 10)
    assert end > dt.date(2026, 10, 1) and is_working_day(end)
    assert all(not is_working_day(dt.date(2026, 10, 1) + dt.timedelta(days=k)) for k in range(3))
    # a period ending on a working day is not moved
    assert deadlines.period_end(dt.date(2026, 3, 2), 2) == dt.date(2026, 3, 4)
