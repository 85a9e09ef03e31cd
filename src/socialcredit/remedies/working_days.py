"""Working days in China, for due-process deadlines (docs/remedies.md, "Deadlines").

The calendar is the ``holidays`` package's for China: statutory holidays,
the substituted days off (``Day off (substituted from …)``) and the weekend
days worked in their place (``weekend_workdays``, e.g. Saturday 14 February
2026 before the Spring Festival). A working day is what
``HolidayBase.is_working_day`` says: not a holiday or day off, and either a
weekday or a make-up working weekend day.

Deadlines count whole days after the starting day: "within 2 working days
of filing" on a Friday before a long holiday is the second working day
after that Friday, and the deadline day itself is the last day to act.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays

COUNTRY = "CN"
_MAX_STEPS = 3660  # no deadline in this platform is ten years away


@lru_cache(maxsize=32)
def _calendar(year: int) -> holidays.HolidayBase:
    # a year's calendar carries the make-up days of its own holidays
    return holidays.country_holidays(COUNTRY, years=year)


@lru_cache(maxsize=16_384)
def is_working_day(day: dt.date) -> bool:
    """Whether ``day`` is a working day in China."""
    return bool(_calendar(day.year).is_working_day(day))


@lru_cache(maxsize=16_384)
def add_working_days(start: dt.date, n: int) -> dt.date:
    """The ``n``-th working day after ``start`` (``start`` itself is not counted);
    ``start`` for ``n == 0``."""
    if n < 0:
        raise ValueError("n must not be negative")
    day, left = start, n
    for _ in range(_MAX_STEPS):
        if left == 0:
            return day
        day += dt.timedelta(days=1)
        if is_working_day(day):
            left -= 1
    raise ValueError(f"no {n} working days within {_MAX_STEPS} days of {start}")


def add_days(start: dt.date, n: int) -> dt.date:
    """``n`` calendar days after ``start``."""
    return start + dt.timedelta(days=n)


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end <= start``)."""
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        count += is_working_day(day)
    return count


__all__ = ["add_days", "add_working_days", "is_working_day", "working_days_between"]
