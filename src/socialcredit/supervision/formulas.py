"""The built-in computations an indicator may name (``formula.name`` in indicators.yaml),
and the categories each reads."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from socialcredit.policy.indicators import Formula, Indicator, Unit, formula_categories
from socialcredit.supervision import counts, decision_indicators, objection_indicators, procurement
from socialcredit.supervision.context import Context
from socialcredit.supervision.measure import Measure

Computation = Callable[[Context, Any, Unit], dict[str, Measure]]
COMPUTATIONS: dict[str, Computation] = {
    "overturned_rate": decision_indicators.overturned_rate,
    "publicity_lag": decision_indicators.publicity_lag,
    "objections_upheld": objection_indicators.objections_upheld,
    "remedy_deadlines_missed": objection_indicators.deadlines_missed,
    "repeated_single_source": procurement.repeated_single_source,
    "blacklisted_supplier": procurement.blacklisted_supplier,
    "under_threshold": procurement.under_threshold,
    "record_count": counts.record_count,
}


def categories_read(formula: Formula) -> set[str]:
    """The record categories a formula reads (besides units and objection cases)."""
    return {category for _param, category in formula_categories(formula)}


def compute(ctx: Context, indicator: Indicator, unit: Unit) -> dict[str, Measure]:
    """The indicator's measure for every unit of a kind."""
    return COMPUTATIONS[indicator.formula.name](ctx, indicator.formula, unit)


__all__ = ["COMPUTATIONS", "categories_read", "compute"]
