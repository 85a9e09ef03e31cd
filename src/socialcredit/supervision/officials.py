"""The supervision report on officials and institutions: every indicator the active packs
define (indicators.yaml), for every unit its value, its percentile among comparable units
and the records behind it.

The report is information for supervisors (``kind: supervision.officials``,
``information_only``): nothing in the platform derives a list entry, a measure or a
score from it; it is stored only as a saved run for the supervisors' page
(:mod:`socialcredit.supervision.saved`), which nothing that decides reads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from socialcredit.clock import day_of, naive_utc
from socialcredit.errors import InvalidOption
from socialcredit.policy.indicators import Indicator, Unit
from socialcredit.store.database import Store
from socialcredit.supervision.context import Context, load_context
from socialcredit.supervision.context import categories_read as context_categories
from socialcredit.supervision.formulas import categories_read, compute
from socialcredit.supervision.measure import Measure, percentile_ranks
from socialcredit.supervision.period import Period, period_of
from socialcredit.supervision.setup import current_policy, indicator_settings, snapshot_now

KIND = "supervision.officials"
NOTICE = (
    "Information for supervisors: no list entry, measure or score is derived from these indicators."
)


@dataclass(frozen=True)
class UnitValue:
    """One unit's value of one indicator."""

    unit: str
    kind: Unit
    name: str
    group: str
    measure: Measure
    percentile: float | None
    institution: str | None = None  # an official's latest institution

    def to_dict(self) -> dict[str, Any]:
        m = self.measure
        out: dict[str, Any] = {
            "unit": self.unit,
            "name": self.name,
            "group": self.group,
            "value": m.value,
            "numerator": m.numerator,
            "denominator": m.denominator,
            "percentile": self.percentile,
            "records": list(m.records),
        }
        if self.institution is not None:
            out["institution"] = self.institution
        if m.amount is not None:
            out["amount"] = m.amount
        if m.flags:
            out["flags"] = [f.to_dict() for f in m.flags]
        return out


@dataclass(frozen=True)
class IndicatorResult:
    indicator: Indicator
    units: dict[Unit, list[UnitValue]]

    def to_dict(self) -> dict[str, Any]:
        ind = self.indicator
        return {
            "id": ind.name,
            "title": ind.title,
            "title_zh": ind.title_zh,
            "formula": ind.formula.model_dump(),
            "red_flag": ind.red_flag,
            "note": ind.note,
            "units": {kind: [v.to_dict() for v in values] for kind, values in self.units.items()},
        }


@dataclass(frozen=True)
class OfficialsReport:
    known_at: dt.datetime
    period: Period
    policy_version: str
    institutions: int
    officials: int
    indicators: list[IndicatorResult]

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": KIND,
            "information_only": True,
            "notice": NOTICE,
            "known_at": self.known_at.replace(tzinfo=dt.UTC).isoformat(),
            "period": self.period.to_dict(),
            "policy_version": self.policy_version,
            "institutions": self.institutions,
            "officials": self.officials,
            "indicators": [r.to_dict() for r in self.indicators],
        }


def _unit_values(ctx: Context, kind: Unit, measures: dict[str, Measure]) -> list[UnitValue]:
    institutions = ctx.units.institutions
    rows: list[tuple[str, str, str, str | None]] = []  # unit, name, group, institution
    for unit in measures:
        if kind == "institution":
            inst = institutions[unit]
            rows.append((unit, inst.name, inst.group, None))
        else:
            tenures = ctx.officials[unit]
            latest = max(tenures, key=lambda t: (t.start, t.institution))
            name = institutions[latest.institution].name
            rows.append((unit, latest.title, ctx.units.official_group(tenures), name))
    ranks: dict[str, float] = {}
    by_group: dict[str, list[str]] = {}
    for unit, _name, group, _inst in rows:
        if measures[unit].value is not None:
            by_group.setdefault(group, []).append(unit)
    for members in by_group.values():
        values = [float(measures[u].value or 0.0) for u in members]
        ranks.update(zip(members, percentile_ranks(values), strict=True))
    out = [
        UnitValue(unit, kind, name, group, measures[unit], ranks.get(unit), inst)
        for unit, name, group, inst in rows
    ]
    out.sort(key=lambda v: (v.measure.value is None, -(v.measure.value or 0.0), v.unit))
    return out


def indicator_result(ctx: Context, indicator: Indicator) -> IndicatorResult:
    units = {k: _unit_values(ctx, k, compute(ctx, indicator, k)) for k in indicator.units}
    return IndicatorResult(indicator, units)


def officials_report(
    store: Store,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    only: Sequence[str] = (),
) -> OfficialsReport:
    """Every indicator (or those named in ``only``) over the period, from a snapshot of
    the ledger as of now and the list entries in the store."""
    now = naive_utc(store.clock.now())
    today = day_of(now)
    period = period_of(today, since, until)
    policy = current_policy(store)
    settings = indicator_settings(policy)
    unknown = sorted(set(only) - set(settings.indicators))
    if unknown:
        raise InvalidOption(
            f"no indicator named {', '.join(unknown)}; the active packs define "
            f"{', '.join(settings.indicators)}"
        )
    chosen = [ind for name, ind in settings.indicators.items() if not only or name in only]
    wanted = {c for ind in chosen for c in categories_read(ind.formula)}
    with snapshot_now(store, now, context_categories(wanted)) as snap:
        ctx = load_context(store, snap, policy, period, today, wanted)
        results = [indicator_result(ctx, ind) for ind in chosen]
        return OfficialsReport(
            now,
            period,
            policy.version,
            len(ctx.units.institutions),
            len(ctx.officials),
            results,
        )


__all__ = ["KIND", "NOTICE", "IndicatorResult", "OfficialsReport", "UnitValue", "officials_report"]
