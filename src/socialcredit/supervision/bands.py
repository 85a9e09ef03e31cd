"""Robust bands: ``median ± k · spread`` of a feed's own history.

The spread is the median absolute deviation scaled to a standard deviation (× 1.4826,
so that for normal data it estimates σ). For weekly counts it is never narrower than
the Poisson noise of the median (its square root) nor than one record, so that a
feed sending the same few records every week is not alarmed by one more.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from socialcredit.supervision.feeds import bin_centre

MAD_TO_SD = 1.4826


@dataclass(frozen=True)
class Band:
    median: float
    spread: float
    low: float
    high: float

    def outside(self, value: float) -> bool:
        return value < self.low or value > self.high


def median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    n = len(ordered)
    if n == 0:
        raise ValueError("the median of nothing")
    mid = n // 2
    return ordered[mid] if n % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def count_band(history: Sequence[int], k: float) -> Band:
    """The band of a weekly count from its past weeks."""
    m = median([float(v) for v in history])
    mad = median([abs(v - m) for v in history])
    spread = max(MAD_TO_SD * mad, math.sqrt(m), 1.0)
    return Band(m, spread, m - k * spread, m + k * spread)


def _weighted_median(points: Sequence[tuple[float, int]]) -> float:
    """The median of values given with their counts (sorted by value)."""
    total = sum(n for _, n in points)
    half = total / 2
    seen = 0
    for i, (value, n) in enumerate(points):
        seen += n
        if seen > half:
            return value
        if seen == half:  # an even split: between this value and the next
            return (value + points[i + 1][0]) / 2
    return points[-1][0]


def amount_band(histogram: Mapping[int, int], k: float, least: float = 0.0) -> Band:
    """The band of log10 amounts from a histogram of past amounts (bins of
    :func:`socialcredit.supervision.feeds.amount_bin`); its spread never narrower than
    ``least`` decades, nor than a bin."""
    points = sorted((bin_centre(b), n) for b, n in histogram.items() if n > 0)
    m = _weighted_median(points)
    deviations = sorted((abs(v - m), n) for v, n in points)
    spread = max(MAD_TO_SD * _weighted_median(deviations), least, bin_centre(1) - bin_centre(0))
    return Band(m, spread, m - k * spread, m + k * spread)


def outside_count(histogram: Mapping[int, int], band: Band) -> int:
    """How many amounts of a histogram lie outside a band of log10 amounts."""
    return sum(n for b, n in histogram.items() if band.outside(bin_centre(b)))


__all__ = ["MAD_TO_SD", "Band", "amount_band", "count_band", "median", "outside_count"]
