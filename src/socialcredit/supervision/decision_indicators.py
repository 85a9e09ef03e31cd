"""Indicators on a unit's decisions: how many were overturned on review or appeal, and
how many were published late ("double publicity": within 7 working days of the decision).

An institution's decisions are the records of the decision categories reported under its
provider id; an official's are those of the institutions the official held office in,
on the days the office was held.
"""

from __future__ import annotations

import bisect
import datetime as dt

from socialcredit.policy.indicators import OverturnedRate, PublicityLag, Unit
from socialcredit.remedies.working_days import add_working_days
from socialcredit.supervision.context import Context
from socialcredit.supervision.measure import Measure


def _decision_days(ctx: Context, categories: tuple[str, ...]) -> dict[str, list[dt.date]]:
    """Per provider, the sorted days of its decisions."""
    out: dict[str, list[dt.date]] = {}
    for category in categories:
        for row in ctx.of(category):
            out.setdefault(row.provider, []).append(row.occurred)
    for days in out.values():
        days.sort()
    return out


def _between(days: list[dt.date], first: dt.date, last: dt.date) -> int:
    return bisect.bisect_right(days, last) - bisect.bisect_left(days, first)


def overturned_rate(ctx: Context, f: OverturnedRate, unit: Unit) -> dict[str, Measure]:
    days = _decision_days(ctx, f.decisions)
    p = ctx.period
    out: dict[str, Measure] = {}
    if unit == "institution":
        for inst in ctx.units.institutions.values():
            mine = days.get(inst.provider, []) if inst.provider else []
            out[inst.id] = Measure(denominator=_between(mine, p.since, p.until), per=f.per)
    else:
        for person, tenures in ctx.officials.items():
            total = 0
            for t in tenures:
                held = t.days_in(p)
                provider = ctx.units.institutions[t.institution].provider
                if held is not None and provider:
                    total += _between(days.get(provider, []), *held)
            out[person] = Measure(denominator=total, per=f.per)
    for row in ctx.of(f.overturned):
        measure = out.get(row.subject)
        if measure is not None and row.occurred in p:
            measure.add(row.id)
    return out


def publicity_lag(ctx: Context, f: PublicityLag, unit: Unit) -> dict[str, Measure]:
    """Decisions made in the period, and those published after their deadline."""
    out = {inst.id: Measure(denominator=0, per=f.per) for inst in ctx.units.institutions.values()}
    for category in f.decisions:
        for row in ctx.of(category):
            inst = ctx.by_provider.get(row.provider)
            if inst is None or row.occurred not in ctx.period:
                continue
            measure = out[inst.id]
            measure.denominator = (measure.denominator or 0) + 1
            if row.published > add_working_days(row.occurred, f.working_days):
                measure.add(row.id)
    return out


__all__ = ["overturned_rate", "publicity_lag"]
