"""The simplest indicator: records of one category about the unit in the period (a
contract payment default, a directive implemented late), with the total of an amount."""

from __future__ import annotations

from socialcredit.policy.indicators import RecordCount, Unit
from socialcredit.supervision.context import Context
from socialcredit.supervision.measure import Measure


def record_count(ctx: Context, f: RecordCount, unit: Unit) -> dict[str, Measure]:
    ids = ctx.units.institutions if unit == "institution" else ctx.officials
    out = {i: Measure(amount=0.0 if f.amount else None) for i in ids}
    for row in ctx.of(f.category):
        measure = out.get(row.subject)
        if measure is None or row.occurred not in ctx.period:
            continue
        measure.add(row.id)
        if f.amount is not None:
            measure.amount = round((measure.amount or 0.0) + (row.number(f.amount) or 0.0), 2)
    return out


__all__ = ["record_count"]
