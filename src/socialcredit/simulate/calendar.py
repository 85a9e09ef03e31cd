"""Dates as day numbers: the simulator keeps every date as int32 days since 1970-01-01."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

EPOCH = dt.date(1970, 1, 1)

IntArray = npt.NDArray[np.int64]


def to_days(day: dt.date) -> int:
    return (day - EPOCH).days


def from_days(days: int) -> dt.date:
    return EPOCH + dt.timedelta(days=int(days))


def shift_years(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` later (28 February for 29 February in a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def years_of(days: npt.NDArray[np.integer]) -> IntArray:
    """Calendar year of each day number."""
    stamp = np.asarray(days, dtype=np.int64).astype("datetime64[D]")
    return stamp.astype("datetime64[Y]").astype(np.int64) + 1970


def ymd_of(days: npt.NDArray[np.integer]) -> IntArray:
    """Each day number as the integer YYYYMMDD."""
    stamp = np.asarray(days, dtype=np.int64).astype("datetime64[D]")
    year = stamp.astype("datetime64[Y]")
    month = stamp.astype("datetime64[M]")
    y = year.astype(np.int64) + 1970
    m = (month - year.astype("datetime64[M]")).astype(np.int64) + 1
    d = (stamp - month.astype("datetime64[D]")).astype(np.int64) + 1
    out: IntArray = y * 10000 + m * 100 + d
    return out


def day_of(year: npt.ArrayLike, month: npt.ArrayLike, day: npt.ArrayLike) -> IntArray:
    """Day numbers of calendar dates given as arrays (days past month end roll over)."""
    y = np.asarray(year, dtype=np.int64) - 1970
    m = np.asarray(month, dtype=np.int64) - 1
    d = np.asarray(day, dtype=np.int64) - 1
    months = y.astype("datetime64[Y]").astype("datetime64[M]") + m.astype("timedelta64[M]")
    result: IntArray = months.astype("datetime64[D]").astype(np.int64) + d
    return result


@dataclass(frozen=True, slots=True)
class Window:
    """The simulated period: ``years`` years ending on (and including) ``end``."""

    start: int
    end: int

    @classmethod
    def ending(cls, end: dt.date, years: int) -> Window:
        start = shift_years(end, -years) + dt.timedelta(days=1)
        return cls(to_days(start), to_days(end))

    @property
    def days(self) -> int:
        return self.end - self.start + 1

    @property
    def start_date(self) -> dt.date:
        return from_days(self.start)

    @property
    def end_date(self) -> dt.date:
        return from_days(self.end)

    @property
    def first_year(self) -> int:
        return self.start_date.year

    @property
    def last_year(self) -> int:
        return self.end_date.year

    def exposure_years(self, since: npt.NDArray[np.integer]) -> npt.NDArray[np.float64]:
        """Years each subject is exposed within the window, from max(start, since)."""
        first = np.maximum(np.asarray(since, dtype=np.int64), self.start)
        out: npt.NDArray[np.float64] = np.clip(self.end + 1 - first, 0, None) / 365.2425
        return out
