"""How promptly providers report, from a ledger snapshot: when each first reported a
category, and what share of their first reports came within N working days of the act.

A first report is a record that corrects or withdraws nothing; its day is the day the
provider reported it (``reported_at``), else the China day the platform recorded it.
Counts are taken in SQL per group of providers, category and act day, against the due
day the working-day calendar gives each act day.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import accumulate

from socialcredit.engine.batch.adapters.snapshot_sql import query_snapshot
from socialcredit.engine.batch.snapshot import Snapshot
from socialcredit.remedies.working_days import add_working_days

_PUBLISHED = "coalesce(reported_at, CAST(recorded_at + INTERVAL 8 HOUR AS DATE))"
_FIRST = f"""
SELECT provider, category, min({_PUBLISHED}) AS day, arg_min(id, {_PUBLISHED}) AS record
FROM records
WHERE supersedes IS NULL AND NOT withdrawn AND list_contains(?::VARCHAR[], category)
GROUP BY provider, category
"""
_DAYS = """
SELECT DISTINCT occurred_at FROM records WHERE occurred_at >= ? AND occurred_at <= ?
"""
# first reports per group of providers, category and act day, with those published by
# the act day's due day (the working-day calendar is applied once per act day, in Python)
_COUNTS = f"""
WITH due AS (SELECT unnest(?::DATE[]) AS day, unnest(?::DATE[]) AS due),
     grouped AS (SELECT unnest(?::VARCHAR[]) AS provider, unnest(?::VARCHAR[]) AS grp)
SELECT g.grp, r.category, r.occurred_at, count(*) AS n,
       count(*) FILTER (WHERE {_PUBLISHED} <= d.due) AS timely
FROM records r
JOIN grouped g ON g.provider = r.provider
JOIN due d ON d.day = r.occurred_at
WHERE r.supersedes IS NULL AND NOT r.withdrawn AND r.occurred_at >= ? AND r.occurred_at <= ?
GROUP BY ALL
"""


def first_reported(
    snapshot: Snapshot, categories: Iterable[str]
) -> dict[tuple[str, str], tuple[dt.date, str]]:
    """Per (provider, category): the day it first reported the category, and the record."""
    wanted = sorted(set(categories))
    if not wanted:
        return {}
    rows = query_snapshot(snapshot, _FIRST, [wanted]).to_pylist()
    return {(r["provider"], r["category"]): (r["day"], r["record"]) for r in rows}


@dataclass
class _Series:
    """Reports by act day: cumulative totals and on-time counts."""

    days: list[dt.date] = field(default_factory=list)
    totals: list[int] = field(default_factory=list)
    on_time: list[int] = field(default_factory=list)

    def between(self, first: dt.date, last: dt.date) -> tuple[int, int]:
        lo = bisect.bisect_left(self.days, first)
        hi = bisect.bisect_right(self.days, last)
        if hi <= lo:
            return 0, 0
        total = self.totals[hi - 1] - (self.totals[lo - 1] if lo else 0)
        timely = self.on_time[hi - 1] - (self.on_time[lo - 1] if lo else 0)
        return timely, total


@dataclass(frozen=True)
class Timeliness:
    """On-time reporting per group of providers (a jurisdiction), per category or overall
    (``None``)."""

    series: dict[tuple[str, str | None], _Series]

    def share(
        self, group: str, category: str | None, first: dt.date, last: dt.date
    ) -> tuple[int, int]:
        """(on time, total) of the group's first reports of acts between the two days."""
        found = self.series.get((group, category))
        return found.between(first, last) if found is not None else (0, 0)


def timeliness(
    snapshot: Snapshot,
    groups: dict[str, set[str]],
    working_days: int,
    overall: set[str],
    named: set[str],
    first: dt.date,
    last: dt.date,
) -> Timeliness:
    """On-time shares for each group of providers: over the categories ``overall`` taken
    together, and for each of the categories ``named`` on its own."""
    group_of = {p: g for g, members in groups.items() for p in members}
    if not group_of:
        return Timeliness({})
    acts = query_snapshot(snapshot, _DAYS, [first, last]).column("occurred_at").to_pylist()
    dues = [add_working_days(day, working_days) for day in acts]
    providers = sorted(group_of)
    params = [acts, dues, providers, [group_of[p] for p in providers], first, last]
    per_day: dict[tuple[str, str | None], dict[dt.date, list[int]]] = {}
    for r in query_snapshot(snapshot, _COUNTS, params).to_pylist():
        category, group = r["category"], r["grp"]
        keys: list[tuple[str, str | None]] = []
        if category in named:
            keys.append((group, category))
        if category in overall:
            keys.append((group, None))
        for key in keys:
            slot = per_day.setdefault(key, {}).setdefault(r["occurred_at"], [0, 0])
            slot[0] += r["n"]
            slot[1] += r["timely"]
    series = {}
    for key, days in per_day.items():
        ordered = sorted(days)
        series[key] = _Series(
            ordered,
            list(accumulate(days[d][0] for d in ordered)),
            list(accumulate(days[d][1] for d in ordered)),
        )
    return Timeliness(series)


__all__ = ["Timeliness", "first_reported", "timeliness"]
