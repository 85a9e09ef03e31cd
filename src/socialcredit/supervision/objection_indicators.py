"""Indicators on objections to the records a unit reported: how many were upheld, and
how many answers the unit owed past their deadline.

The unit is the institution whose provider id the objection names as the one to answer.
"""

from __future__ import annotations

from socialcredit.policy.indicators import DeadlinesMissed, ObjectionsUpheld, Unit
from socialcredit.supervision.context import Context
from socialcredit.supervision.measure import Measure


def objections_upheld(ctx: Context, f: ObjectionsUpheld, unit: Unit) -> dict[str, Measure]:
    """Objections decided in the period, and those upheld."""
    out = {inst.id: Measure(denominator=0, per=f.per) for inst in ctx.units.institutions.values()}
    for case in ctx.cases:
        inst = ctx.by_provider.get(case.provider)
        if inst is None or case.decided not in ctx.period:
            continue
        measure = out[inst.id]
        measure.denominator = (measure.denominator or 0) + 1
        if case.upheld:
            measure.numerator += 1
            measure.records.extend(case.decision_records())
    return out


def deadlines_missed(ctx: Context, f: DeadlinesMissed, unit: Unit) -> dict[str, Measure]:
    """Answers due in the period, and those given late or still owed."""
    out = {inst.id: Measure(denominator=0, per=f.per) for inst in ctx.units.institutions.values()}
    for case in ctx.cases:
        inst = ctx.by_provider.get(case.provider)
        if inst is None or case.answer_by not in ctx.period:
            continue
        measure = out[inst.id]
        measure.denominator = (measure.denominator or 0) + 1
        if case.answered_late(ctx.today):
            measure.add(case.filing)
    return out


__all__ = ["deadlines_missed", "objections_upheld"]
