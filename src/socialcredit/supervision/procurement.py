"""Red flags in government procurement awards (``government.procurement_award``):

* repeated single-source awards to one supplier (``min_awards`` within ``window_days``);
* awards to an enterprise on a black list in force on the award date (the list entries
  read from the store, with their status on that date);
* several awards just under an approval threshold within ``window_days``.

A flag is raised for the period when one of its awards was made in it; the awards before
the period that complete its window are named too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from sqlalchemy import select

from socialcredit.enforcement.entries import is_active
from socialcredit.enforcement.model import ListEntry
from socialcredit.policy.indicators import (
    BlacklistedSupplier,
    RepeatedSingleSource,
    UnderThreshold,
    Unit,
)
from socialcredit.store.tables import list_entries
from socialcredit.supervision.context import Context
from socialcredit.supervision.measure import Flag, Measure
from socialcredit.supervision.records import Row

_CHUNK = 500


def clustered(rows: Sequence[Row], min_awards: int, window_days: int) -> list[Row]:
    """The rows (sorted by day) that fall in some span of fewer than ``window_days`` days
    holding ``min_awards`` rows or more."""
    rows = sorted(rows, key=lambda r: (r.occurred, r.id))
    keep = [False] * len(rows)
    last = 0
    for first in range(len(rows)):
        last = max(last, first)
        while (
            last + 1 < len(rows)
            and (rows[last + 1].occurred - rows[first].occurred).days < window_days
        ):
            last += 1
        if last - first + 1 >= min_awards:
            keep[first : last + 1] = [True] * (last - first + 1)
    return [r for r, k in zip(rows, keep, strict=True) if k]


def _empty(ctx: Context) -> dict[str, Measure]:
    return {inst.id: Measure() for inst in ctx.units.institutions.values()}


def _awards(ctx: Context, category: str, window_days: int) -> list[Row]:
    """Awards of the period and of the window before it."""
    start = ctx.period.since - dt.timedelta(days=window_days - 1)
    return [
        r
        for r in ctx.of(category)
        if start <= r.occurred <= ctx.period.until and r.subject in ctx.units.institutions
    ]


def _flag_groups(
    ctx: Context, groups: dict[tuple[str, ...], list[Row]], min_awards: int, window_days: int
) -> dict[str, Measure]:
    out = _empty(ctx)
    for key, rows in sorted(groups.items()):
        hit = clustered(rows, min_awards, window_days)
        if not any(r.occurred in ctx.period for r in hit):
            continue
        about: dict[str, object] = {"awards": len(hit)}
        if len(key) > 1:
            about["supplier"] = key[1]
        about["first"] = hit[0].occurred.isoformat()
        about["last"] = hit[-1].occurred.isoformat()
        about["amount"] = round(sum(r.number("amount") or 0.0 for r in hit), 2)
        measure = out[key[0]]
        measure.numerator += 1
        measure.records.extend(r.id for r in hit)
        measure.flags.append(Flag(about, tuple(r.id for r in hit)))
    return out


def repeated_single_source(ctx: Context, f: RepeatedSingleSource, unit: Unit) -> dict[str, Measure]:
    groups: dict[tuple[str, ...], list[Row]] = {}
    for row in _awards(ctx, f.category, f.window_days):
        if row.text("method") == f.method and row.text("supplier"):
            groups.setdefault((row.subject, row.attrs["supplier"]), []).append(row)
    return _flag_groups(ctx, groups, f.min_awards, f.window_days)


def under_threshold(ctx: Context, f: UnderThreshold, unit: Unit) -> dict[str, Measure]:
    low = f.threshold * (1 - f.band)
    groups: dict[tuple[str, ...], list[Row]] = {}
    for row in _awards(ctx, f.category, f.window_days):
        amount = row.number("amount")
        if amount is None or not low <= amount < f.threshold:
            continue
        key = (row.subject, row.text("supplier") or "") if f.same_supplier else (row.subject,)
        groups.setdefault(key, []).append(row)
    return _flag_groups(ctx, groups, f.min_awards, f.window_days)


def black_entries(ctx: Context, subjects: Iterable[str]) -> dict[str, list[ListEntry]]:
    """The black-list entries of the subjects, as the store holds them now."""
    wanted = sorted(set(subjects))
    out: dict[str, list[ListEntry]] = {}
    with ctx.store.reader() as conn:
        for i in range(0, len(wanted), _CHUNK):
            part = wanted[i : i + _CHUNK]
            query = select(list_entries.c.subject, list_entries.c.status_basis).where(
                list_entries.c.kind == "black", list_entries.c.subject.in_(part)
            )
            for subject, basis in conn.execute(query):
                out.setdefault(subject, []).append(ListEntry.load(basis, ctx.today))
    return out


def blacklisted_supplier(ctx: Context, f: BlacklistedSupplier, unit: Unit) -> dict[str, Measure]:
    out = _empty(ctx)
    awards = [r for r in _awards(ctx, f.category, 1) if r.text("supplier")]
    entries = black_entries(ctx, (r.attrs["supplier"] for r in awards))
    for row in awards:
        supplier = str(row.attrs["supplier"])
        listed = [
            e
            for e in entries.get(supplier, [])
            if (not f.lists or e.list in f.lists) and is_active(e, row.occurred)
        ]
        if not listed:
            continue
        measure = out[row.subject]
        measure.add(row.id)
        about = {
            "supplier": supplier,
            "awarded": row.occurred.isoformat(),
            "amount": row.number("amount"),
            "lists": sorted({e.list for e in listed}),
            "entries": sorted(e.id for e in listed),
        }
        grounds = tuple(e.ground_record for e in listed if e.ground_record)
        measure.flags.append(Flag(about, (row.id, *grounds)))
    return out


__all__ = [
    "black_entries",
    "blacklisted_supplier",
    "clustered",
    "repeated_single_source",
    "under_threshold",
]
