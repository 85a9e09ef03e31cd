"""Time, made controllable so that deadlines and as-of questions are exact in tests.

All stored timestamps are naive UTC datetimes; calendar dates ("today", the
day a record occurred) are dates in China Standard Time.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Protocol
from zoneinfo import ZoneInfo

from pydantic import AfterValidator, BeforeValidator

CHINA = ZoneInfo("Asia/Shanghai")


class Clock(Protocol):
    def now(self) -> dt.datetime:
        """The current instant as a naive UTC datetime."""
        ...


def today(clock: Clock) -> dt.date:
    """The current calendar date in China."""
    return clock.now().replace(tzinfo=dt.UTC).astimezone(CHINA).date()


class SystemClock:
    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class FixedClock:
    """A clock that only moves when told to."""

    def __init__(self, at: dt.datetime | str) -> None:
        self._now = _naive_utc(at)

    def now(self) -> dt.datetime:
        return self._now

    def set(self, at: dt.datetime | str) -> None:
        self._now = _naive_utc(at)

    def advance(self, **delta: float) -> dt.datetime:
        self._now += dt.timedelta(**delta)
        return self._now


def _naive_utc(at: dt.datetime | str) -> dt.datetime:
    return naive_utc(dt.datetime.fromisoformat(at) if isinstance(at, str) else at)


def naive_utc(value: dt.datetime) -> dt.datetime:
    """A UTC instant as a naive datetime (naive input is taken as UTC already)."""
    if value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def day_of(at: dt.datetime) -> dt.date:
    """The China-time calendar day of a UTC instant (naive means UTC)."""
    return naive_utc(at).replace(tzinfo=dt.UTC).astimezone(CHINA).date()


# The instants and days the platform reasons about: records from 1900 on, questions
# up to the end of 9998 (so that any instant converts between UTC and China time,
# and a day after it still exists)
EARLIEST_DAY = dt.date(1900, 1, 1)
LATEST_DAY = dt.date(9998, 12, 31)
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_instant(text: str) -> dt.datetime:
    """Parse a CLI time: a date (end of that day, China time) or an ISO datetime."""
    try:
        if len(text) == 10:
            day = dt.date.fromisoformat(text)
            local = dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=CHINA)
            return bounded_instant(local)
        value = dt.datetime.fromisoformat(text)
    except ValueError as exc:
        from socialcredit.errors import InvalidTime

        raise InvalidTime(f"{text!r} is not a date (YYYY-MM-DD) or an ISO datetime") from exc
    return bounded_instant(value)


def bounded_instant(value: dt.datetime) -> dt.datetime:
    """An instant (naive: China time) as naive UTC, refused with ``invalid_time``
    outside 1900-01-01 .. 9998-12-31 in China time."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=CHINA)
    try:
        local = value.astimezone(CHINA)
        utc = value.astimezone(dt.UTC).replace(tzinfo=None)
    except OverflowError:
        local = None
    if local is None or not EARLIEST_DAY <= local.date() <= LATEST_DAY:
        from socialcredit.errors import InvalidTime

        raise InvalidTime(
            f"{value.isoformat()}: times must fall between {EARLIEST_DAY} and {LATEST_DAY} "
            "(China time)",
        )
    return utc


def checked_instant(value: dt.datetime) -> dt.datetime:
    """For pydantic models: an instant within the platform's range, as given."""
    from socialcredit.errors import InvalidTime

    try:
        bounded_instant(value)
    except InvalidTime as exc:
        raise ValueError(exc.message) from None
    return value


def iso_day(value: object) -> dt.date:
    """A calendar day given as ``YYYY-MM-DD`` text or a date, from 1900 on.

    Refuses what lax parsing would coerce into a day: numbers (epoch seconds),
    numeric strings, datetimes and datetime strings."""
    if isinstance(value, dt.datetime):
        raise ValueError("must be a day (YYYY-MM-DD), not a date and time")
    if isinstance(value, dt.date):
        day = value
    elif isinstance(value, str) and _ISO_DAY.match(value):
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a calendar day") from None
    else:
        raise ValueError("must be a day written YYYY-MM-DD")
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise ValueError(f"{day} is outside {EARLIEST_DAY}..{LATEST_DAY}")
    return day


Day = Annotated[dt.date, BeforeValidator(iso_day)]
Instant = Annotated[dt.datetime, AfterValidator(checked_instant)]
