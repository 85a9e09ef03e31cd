"""The period a supervision report covers: whole China days, both ends included."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from socialcredit.errors import InvalidOption

DEFAULT_DAYS = 365
MAX_DAYS = 20 * 366


@dataclass(frozen=True, slots=True)
class Period:
    since: dt.date
    until: dt.date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.since <= day <= self.until

    def to_dict(self) -> dict[str, str]:
        return {"since": self.since.isoformat(), "until": self.until.isoformat()}


def period_of(today: dt.date, since: dt.date | None, until: dt.date | None) -> Period:
    """The period asked for: ``until`` defaults to today and ``since`` to a year before it;
    a period that ends before it starts, ends after today or spans more than twenty years
    is refused (``invalid_option``)."""
    last = until or today
    first = since or (last - dt.timedelta(days=DEFAULT_DAYS - 1))
    if last > today:
        raise InvalidOption(f"the period ends on {last}, after today ({today})")
    if first > last:
        raise InvalidOption(f"the period starts on {first}, after it ends ({last})")
    if (last - first).days >= MAX_DAYS:
        raise InvalidOption("a period of more than twenty years is not supported")
    return Period(first, last)


__all__ = ["DEFAULT_DAYS", "Period", "period_of"]
