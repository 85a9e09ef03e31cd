"""Ranks and distributions for the supervision reports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np


def ranks(scores: Sequence[float | None]) -> list[int | None]:
    """Competition ranks, highest score first (1, 2, 2, 4); no score, no rank."""
    known = sorted((s for s in scores if s is not None), reverse=True)
    return [None if s is None else 1 + known.index(s) for s in scores]


_FIELDS = ("count", "mean", "min", "p25", "median", "p75", "max")


def distribution(values: Sequence[float]) -> dict[str, float | int | None]:
    """How values spread: count, mean, minimum, quartiles and maximum (None when empty)."""
    if not values:
        empty: dict[str, float | int | None] = dict.fromkeys(_FIELDS)
        return {**empty, "count": 0}
    arr = np.asarray(values, dtype=np.float64)
    q = np.quantile(arr, [0.25, 0.5, 0.75])
    return {
        "count": len(values),
        "mean": round(float(arr.mean()), 4),
        "min": round(float(arr.min()), 4),
        "p25": round(float(q[0]), 4),
        "median": round(float(q[1]), 4),
        "p75": round(float(q[2]), 4),
        "max": round(float(arr.max()), 4),
    }


def quarter(day: dt.date) -> str:
    """The calendar quarter of a day: ``2025-Q3``."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


__all__ = ["distribution", "quarter", "ranks"]
