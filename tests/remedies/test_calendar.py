"""Working days in China (holidays' CN calendar): Spring Festival 2026 and make-up days.

2026: Saturday 14 February and Saturday 28 February are worked; 15-23 February
are the Spring Festival holidays and days off (16-19 statutory, 20 and 23
substituted, 21-22 a weekend).
"""

from __future__ import annotations

import datetime as dt

import pytest

from socialcredit.remedies.working_days import (
    add_days,
    add_working_days,
    is_working_day,
    working_days_between,
)


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@pytest.mark.parametrize(
    ("text", "working"),
    [
        ("2026-02-13", True),  # Friday
        ("2026-02-14", True),  # Saturday, a make-up working day
        ("2026-02-15", False),  # Sunday
        ("2026-02-16", False),  # Spring Festival eve
        ("2026-02-17", False),
        ("2026-02-20", False),  # day off, substituted from 14 February
        ("2026-02-21", False),  # Saturday
        ("2026-02-23", False),  # day off, substituted from 28 February
        ("2026-02-24", True),
        ("2026-02-28", True),  # Saturday, a make-up working day
        ("2026-03-07", False),  # an ordinary Saturday
        ("2026-10-01", False),  # National Day
    ],
)
def test_working_days(text: str, working: bool) -> None:
    assert is_working_day(day(text)) is working


def test_a_deadline_spanning_the_spring_festival_counts_the_make_up_saturday() -> None:
    # filed on Friday 13 February: the 1st working day after is Saturday 14 (make-up),
    # the 2nd is Tuesday 24 February, after the holiday
    assert add_working_days(day("2026-02-13"), 1) == day("2026-02-14")
    assert add_working_days(day("2026-02-13"), 2) == day("2026-02-24")
    # 12 working days (accept 2 + answer 10): 14, 24, 25, 26, 27, 28 (make-up), 2-6 March, 9
    assert add_working_days(day("2026-02-13"), 12) == day("2026-03-09")
    assert working_days_between(day("2026-02-13"), day("2026-03-09")) == 12


def test_ordinary_weeks_skip_weekends() -> None:
    assert add_working_days(day("2026-03-06"), 1) == day("2026-03-09")  # Friday -> Monday
    assert add_working_days(day("2026-03-02"), 12) == day("2026-03-18")
    assert add_working_days(day("2026-03-07"), 0) == day("2026-03-07")
    assert working_days_between(day("2026-03-09"), day("2026-03-02")) == 0


def test_calendar_days_and_bad_input() -> None:
    assert add_days(day("2026-02-13"), 15) == day("2026-02-28")
    with pytest.raises(ValueError):
        add_working_days(day("2026-02-13"), -1)
