"""What every supervision computation reads: the current records of the categories it
needs (from one snapshot), the units, the period, the active policy and the store."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from socialcredit.engine.batch.snapshot import Snapshot
from socialcredit.policy.policy_set import PolicySet
from socialcredit.store.database import Store
from socialcredit.supervision import cases as cases_mod
from socialcredit.supervision import units as units_mod
from socialcredit.supervision.period import Period
from socialcredit.supervision.records import Row, by_category, current


@dataclass
class Context:
    store: Store
    snapshot: Snapshot
    policy: PolicySet
    period: Period
    today: dt.date
    rows: dict[str, list[Row]] = field(default_factory=dict)

    def of(self, category: str) -> list[Row]:
        return self.rows.get(category, [])

    @cached_property
    def units(self) -> units_mod.Units:
        return units_mod.read_units(r for c in units_mod.CATEGORIES for r in self.of(c))

    @cached_property
    def officials(self) -> dict[str, list[units_mod.Tenure]]:
        return self.units.officials(self.period)

    @cached_property
    def by_provider(self) -> dict[str, units_mod.Institution]:
        return self.units.by_provider()

    @cached_property
    def cases(self) -> list[cases_mod.Case]:
        return cases_mod.read_cases(r for c in cases_mod.CATEGORIES for r in self.of(c))


def categories_read(categories: Iterable[str]) -> set[str]:
    """The categories a context with ``categories`` reads: those, the units' and the
    objection cases'."""
    return {*categories, *units_mod.CATEGORIES, *cases_mod.CATEGORIES}


def load_context(
    store: Store,
    snapshot: Snapshot,
    policy: PolicySet,
    period: Period,
    today: dt.date,
    categories: Iterable[str],
) -> Context:
    """A context holding the current records of ``categories`` and of the units and cases."""
    rows = by_category(current(snapshot, categories_read(categories)))
    return Context(store, snapshot, policy, period, today, rows)


__all__ = ["Context", "categories_read", "load_context"]
