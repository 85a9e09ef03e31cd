"""The records supervision reads: the current version of each record of some categories,
from a ledger snapshot.

A record counts in its current version: not withdrawn, not superseded by a correction.
Its publication day is the day its provider reported it (``reported_at``), else the
China day the platform recorded it; a corrected record keeps the day its first version
was published (a correction does not make a decision published late).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from socialcredit.engine.batch.adapters.snapshot_sql import query_snapshot
from socialcredit.engine.batch.snapshot import Snapshot

_SQL = """
SELECT id, provider, ref, subject, category, occurred_at, attributes, supersedes, withdrawn,
       coalesce(reported_at, CAST(recorded_at + INTERVAL 8 HOUR AS DATE)) AS published
FROM records
WHERE list_contains(?::VARCHAR[], category)
ORDER BY seq
"""


@dataclass(frozen=True, slots=True)
class Row:
    """One current record, with the day its first version was published."""

    id: str
    provider: str
    ref: str
    subject: str
    category: str
    occurred: dt.date
    published: dt.date
    attrs: dict[str, Any]

    def text(self, name: str) -> str | None:
        value = self.attrs.get(name)
        return None if value is None else str(value)

    def number(self, name: str) -> float | None:
        value = self.attrs.get(name)
        return float(value) if isinstance(value, int | float) else None

    def day(self, name: str) -> dt.date | None:
        value = self.attrs.get(name)
        if not isinstance(value, str):
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None


def current(snapshot: Snapshot, categories: Iterable[str]) -> list[Row]:
    """The current records of ``categories``, in ledger order."""
    wanted = sorted(set(categories))
    if not wanted:
        return []
    table = query_snapshot(snapshot, _SQL, [wanted])
    rows = table.to_pylist()
    superseded = {r["supersedes"] for r in rows if r["supersedes"]}
    first: dict[str, dt.date] = {}
    for r in rows:  # ledger order: an earlier version is met before its correction
        earlier = first.get(r["supersedes"]) if r["supersedes"] else None
        first[r["id"]] = min(r["published"], earlier) if earlier else r["published"]
    return [
        Row(
            r["id"],
            r["provider"],
            r["ref"],
            r["subject"],
            r["category"],
            r["occurred_at"],
            first[r["id"]],
            orjson.loads(r["attributes"]),
        )
        for r in rows
        if not r["withdrawn"] and r["id"] not in superseded
    ]


def by_category(rows: Sequence[Row]) -> dict[str, list[Row]]:
    out: dict[str, list[Row]] = {}
    for row in rows:
        out.setdefault(row.category, []).append(row)
    return out


__all__ = ["Row", "by_category", "current"]
