"""What an indicator says about one unit, and where that stands among comparable units."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import stats


@dataclass(frozen=True)
class Flag:
    """One red flag: what it is about and the records that raise it."""

    about: dict[str, Any]
    records: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {**self.about, "records": list(self.records)}


@dataclass
class Measure:
    """A count (``per`` None) or a rate: ``numerator`` per ``per`` of ``denominator``."""

    numerator: float = 0
    denominator: int | None = None
    per: int | None = None
    records: list[str] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    amount: float | None = None

    @property
    def value(self) -> float | None:
        """The count, or the rate (None when there is nothing to divide by)."""
        if self.per is None:
            return self.numerator
        if not self.denominator:
            return None
        return round(self.numerator * self.per / self.denominator, 4)

    def add(self, record: str, weight: float = 1) -> None:
        self.numerator += weight
        self.records.append(record)


def percentile_ranks(values: Sequence[float]) -> list[float]:
    """Each value's percentile rank among ``values`` (scipy's ``kind="mean"``): the share
    below it plus half the share equal to it, in percent (50 for all-equal values)."""
    if not values:
        return []
    ranks = stats.percentileofscore(values, values, kind="mean")
    return [round(float(r), 1) for r in np.atleast_1d(ranks)]


__all__ = ["Flag", "Measure", "percentile_ranks"]
