"""A feed's running statistics: one row of ``feed_weeks`` per provider, category and
week of arrival, read and added to without rescanning the ledger.

A feed is one provider's records of one category (a refusal that named no category
of the catalogue counts on the provider's feed of category ``""``). A week is the
Monday (China time) of the week a record arrived in. Amounts are kept as a histogram
of their log10 in bins of 1/20 decade, enough to place a band within 6 %.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import orjson
from sqlalchemy import Connection, and_, bindparam, func, select, update

from socialcredit.clock import day_of
from socialcredit.store.bulk import date_param, insert_rows, stored_day
from socialcredit.store.tables import feed_weeks

BINS_PER_DECADE = 20


class Feed(NamedTuple):
    provider: str
    category: str


@dataclass
class Tally:
    """One feed's counts for one week (a ``feed_weeks`` row), or for several added up."""

    received: int = 0
    duplicates: int = 0
    refused: int = 0
    late: int = 0
    corrections: int = 0
    withdrawals: int = 0
    objections: int = 0
    upheld: int = 0
    held: int = 0
    refused_codes: dict[str, int] = field(default_factory=dict)
    amounts: dict[int, int] = field(default_factory=dict)  # log10 bin -> amounts

    @property
    def sent(self) -> int:
        """Everything the feed sent: appended, resubmitted or refused."""
        return self.received + self.duplicates + self.refused

    @property
    def conflicts(self) -> int:
        return self.refused_codes.get("conflict", 0)

    @property
    def amount_count(self) -> int:
        return sum(self.amounts.values())

    def add(self, other: Tally) -> None:
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        _merge(self.refused_codes, other.refused_codes)
        _merge(self.amounts, other.amounts)

    def refuse(self, code: str) -> None:
        self.refused += 1
        self.refused_codes[code] = self.refused_codes.get(code, 0) + 1

    def amount(self, value: float) -> None:
        if value > 0 and math.isfinite(value):
            b = amount_bin(value)
            self.amounts[b] = self.amounts.get(b, 0) + 1


COUNTS = (
    "received",
    "duplicates",
    "refused",
    "late",
    "corrections",
    "withdrawals",
    "objections",
    "upheld",
    "held",
)


def _merge(into: dict[Any, int], more: Mapping[Any, int]) -> None:
    for key, n in more.items():
        into[key] = into.get(key, 0) + n


def amount_bin(value: float) -> int:
    """The histogram bin of a positive amount (a power of ten begins its bin, whatever
    the rounding of its logarithm)."""
    return math.floor(math.log10(value) * BINS_PER_DECADE + 1e-9)


def bin_centre(b: int) -> float:
    """The log10 amount at the middle of a bin."""
    return (b + 0.5) / BINS_PER_DECADE


def week_of(now: dt.datetime) -> dt.date:
    """The Monday (China time) of the week of an instant (naive UTC)."""
    day = day_of(now)
    return day - dt.timedelta(days=day.weekday())


_COLUMNS = ("provider", "category", "week", *COUNTS, "refused_codes", "amounts")


def _tally(values: Sequence[Any]) -> Tally:
    """A row's counts (its columns after provider, category and week)."""
    n = len(COUNTS)
    codes, amounts = values[n], values[n + 1]
    counts = {name: int(v) for name, v in zip(COUNTS, values[:n], strict=True)}
    return Tally(
        **counts,
        refused_codes={}
        if codes == "{}"
        else {str(k): int(v) for k, v in orjson.loads(codes).items()},
        amounts={}
        if amounts == "{}"
        else {int(k): int(v) for k, v in orjson.loads(amounts).items()},
    )


def read_weeks(
    conn: Connection, feeds: Iterable[Feed], since: dt.date, until: dt.date
) -> dict[Feed, dict[dt.date, Tally]]:
    """The rows of ``feeds`` for the weeks from ``since`` to ``until`` (both included).

    Read through the driver's own cursor: ingestion reads these every batch."""
    wanted = set(feeds)
    out: dict[Feed, dict[dt.date, Tally]] = {f: {} for f in wanted}
    providers = sorted({f.provider for f in wanted})
    mark = "?" if conn.dialect.name == "sqlite" else "%s"
    day = date_param(conn)
    for i in range(0, len(providers), 500):
        part = providers[i : i + 500]
        sql = (
            f"SELECT {', '.join(_COLUMNS)} FROM feed_weeks WHERE week >= {mark} "
            f"AND week <= {mark} AND provider IN ({', '.join([mark] * len(part))})"
        )
        cursor = conn.connection.cursor()
        try:
            cursor.execute(sql, (day(since), day(until), *part))
            rows = cursor.fetchall()
        finally:
            cursor.close()
        for row in rows:
            key = Feed(row[0], row[1])
            if key in wanted:
                out[key][stored_day(row[2])] = _tally(row[3:])
    return out


def all_weeks(conn: Connection, since: dt.date) -> dict[Feed, dict[dt.date, Tally]]:
    """Every feed's rows from ``since`` on."""
    out: dict[Feed, dict[dt.date, Tally]] = {}
    stmt = select(feed_weeks).where(feed_weeks.c.week >= since)
    for row in conn.execute(stmt):
        values = [getattr(row, c) for c in _COLUMNS[3:]]
        out.setdefault(Feed(row.provider, row.category), {})[stored_day(row.week)] = _tally(values)
    return out


def first_weeks(conn: Connection, feeds: Iterable[Feed]) -> dict[Feed, dt.date]:
    """The first week each of ``feeds`` sent anything in (feeds never seen are left out)."""
    wanted = set(feeds)
    providers = sorted({f.provider for f in wanted})
    out: dict[Feed, dt.date] = {}
    for i in range(0, len(providers), 500):
        stmt = (
            select(feed_weeks.c.provider, feed_weeks.c.category, func.min(feed_weeks.c.week))
            .where(feed_weeks.c.provider.in_(providers[i : i + 500]))
            .group_by(feed_weeks.c.provider, feed_weeks.c.category)
        )
        for provider, category, first in conn.execute(stmt):
            if Feed(provider, category) in wanted:
                out[Feed(provider, category)] = stored_day(first)
    return out


def write_week(conn: Connection, week: dt.date, rows: Mapping[Feed, Tally], new: set[Feed]) -> None:
    """Store the week's rows of these feeds, whole (``new``: feeds with no row yet)."""
    day = date_param(conn)
    values = {f: _values(t) for f, t in rows.items()}
    inserts = [f for f in rows if f in new]
    if inserts:
        columns = ("provider", "category", "week", *COUNTS, "refused_codes", "amounts")
        insert_rows(
            conn,
            "feed_weeks",
            columns,
            [(f.provider, f.category, day(week), *values[f]) for f in inserts],
        )
    updates = [f for f in rows if f not in new]
    if updates:
        stmt = (
            update(feed_weeks)
            .where(
                and_(
                    feed_weeks.c.provider == bindparam("p"),
                    feed_weeks.c.category == bindparam("c"),
                    feed_weeks.c.week == bindparam("w"),
                )
            )
            .values(
                {name: bindparam(f"v_{name}") for name in (*COUNTS, "refused_codes", "amounts")}
            )
        )
        params = []
        for f in updates:
            names = (*COUNTS, "refused_codes", "amounts")
            params.append(
                {
                    "p": f.provider,
                    "c": f.category,
                    "w": week,
                    **{f"v_{n}": v for n, v in zip(names, values[f], strict=True)},
                }
            )
        conn.execute(stmt, params)


def _values(t: Tally) -> tuple[Any, ...]:
    codes = orjson.dumps(t.refused_codes, option=orjson.OPT_SORT_KEYS).decode()
    amounts = orjson.dumps(
        {str(k): v for k, v in sorted(t.amounts.items())}, option=orjson.OPT_NON_STR_KEYS
    ).decode()
    return (*(getattr(t, n) for n in COUNTS), codes, amounts)


__all__ = [
    "BINS_PER_DECADE",
    "COUNTS",
    "Feed",
    "Tally",
    "all_weeks",
    "amount_bin",
    "bin_centre",
    "first_weeks",
    "read_weeks",
    "week_of",
    "write_week",
]
