"""Outcome rates of groups against the population's: Wilson intervals, the disparity
ratio and the flag (the pack's ``supervision.fairness`` settings, policy/fairness.py).

The outcomes monitored are adverse (a listing, a low grade, a denied check, an objection
that failed), so the four-fifths rule reads: a group whose rate of the outcome is more
than ``1 / threshold`` times the population's (ratio = population rate / group rate
below ``threshold``) has a disparity. It is flagged when, besides, enough cases stand
behind it (``min_cases`` members at risk, ``min_events`` who met the outcome) and its
Wilson interval lies wholly above the population's rate, so that chance in a small
group is not taken for a disparity. A flag is information for the supervisors' review.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from statsmodels.stats.proportion import proportion_confint  # type: ignore[import-untyped]

from socialcredit.policy.fairness import FairnessSettings


@dataclass(frozen=True, slots=True)
class Rate:
    """``events`` of ``cases`` met the outcome, with the Wilson interval of the rate."""

    cases: int
    events: int
    low: float
    high: float

    @property
    def rate(self) -> float:
        return self.events / self.cases if self.cases else 0.0


@dataclass(frozen=True, slots=True)
class GroupRate:
    dimension: str  # sex, age_band, home_region
    group: str
    rate: Rate
    ratio: float | None  # population rate / group rate; None when the group has no event
    flagged: bool


def wilson(events: int, cases: int, confidence: float) -> Rate:
    """The rate ``events / cases`` with its Wilson score interval."""
    if cases <= 0:
        return Rate(0, 0, 0.0, 1.0)
    low, high = proportion_confint(events, cases, alpha=1 - confidence, method="wilson")
    return Rate(cases, events, float(low), float(high))


def compare(
    dimension: str,
    groups: Mapping[str, tuple[int, int]],
    settings: FairnessSettings,
) -> tuple[Rate, list[GroupRate]]:
    """The population's rate and each group's against it; ``groups`` maps a group to
    its (events, cases), and the groups of one dimension partition the population."""
    events = sum(e for e, _c in groups.values())
    cases = sum(c for _e, c in groups.values())
    population = wilson(events, cases, settings.confidence)
    out: list[GroupRate] = []
    for group in sorted(groups):
        e, c = groups[group]
        rate = wilson(e, c, settings.confidence)
        ratio = population.rate / rate.rate if rate.events else None
        flagged = (
            ratio is not None
            and ratio < settings.threshold
            and c >= settings.min_cases
            and e >= settings.min_events
            and rate.low > population.rate
        )
        out.append(GroupRate(dimension, group, rate, ratio, flagged))
    return population, out


__all__ = ["GroupRate", "Rate", "compare", "wilson"]
