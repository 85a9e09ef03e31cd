"""Time, made controllable so that deadlines and as-of questions are exact in tests.

All stored timestamps are naive UTC datetimes; calendar dates ("today", the
day a record occurred) are dates in China Standard Time.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol
from zoneinfo import ZoneInfo

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
    value = dt.datetime.fromisoformat(at) if isinstance(at, str) else at
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def parse_instant(text: str) -> dt.datetime:
    """Parse a CLI time: a date (end of that day, China time) or an ISO datetime."""
    try:
        if len(text) == 10:
            day = dt.date.fromisoformat(text)
            local = dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=CHINA)
            return local.astimezone(dt.UTC).replace(tzinfo=None)
        value = dt.datetime.fromisoformat(text)
    except ValueError as exc:
        from socialcredit.errors import SocialCreditError

        raise SocialCreditError(
            f"{text!r} is not a date (YYYY-MM-DD) or an ISO datetime", code="invalid_time"
        ) from exc
    if value.tzinfo is None:
        value = value.replace(tzinfo=CHINA)
    return value.astimezone(dt.UTC).replace(tzinfo=None)
