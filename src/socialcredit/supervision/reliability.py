"""A feed's reliability score, with its components, as of a week.

Over the window of ``history_weeks`` weeks ending with the week (from the feed's
first week on) each component is a rate: the share of weeks whose volume was outside
its band (for the week in progress, only above it: it is not over yet), the share of
weeks whose amounts were off (from ``min_amounts`` amounts, at the ``hold_when``
share, else half of them), and the pooled rates of the other signals. A component
costs ``weight · min(1, rate / full_at)``; the score is 100 less what they cost, in
points. A rate with nothing to divide by costs nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from socialcredit.policy.holds import SIGNALS, HoldSettings
from socialcredit.supervision.feeds import Tally
from socialcredit.supervision.signals import NO_HISTORY, WEEK, WeekSignals, history_of

AMOUNTS_OFF = 0.5  # the share of a week's amounts outside their band that makes it off


@dataclass(frozen=True)
class Part:
    """One component of the score."""

    signal: str
    rate: float | None
    weight: float
    full_at: float
    points: float  # what it costs, in points of 100

    def to_dict(self) -> dict[str, object]:
        return {
            "signal": self.signal,
            "rate": None if self.rate is None else round(self.rate, 4),
            "weight": self.weight,
            "full_at": self.full_at,
            "points": round(self.points, 2),
        }


@dataclass(frozen=True)
class Reliability:
    week: dt.date
    score: float
    parts: tuple[Part, ...]
    totals: Tally  # the window's counts added up
    weeks: int  # weeks in the window


def judged_weeks(
    rows: Mapping[dt.date, Tally],
    first: dt.date,
    until: dt.date,
    settings: HoldSettings,
    category: str,
    since: dt.date | None = None,
) -> dict[dt.date, WeekSignals]:
    """Every week of a feed from ``since`` (default: its first week) to ``until``, each
    judged against its own history."""
    start = max(first, since or first)
    out: dict[dt.date, WeekSignals] = {}
    week = start
    while week <= until:
        history = history_of(rows, first, week, settings, category)
        out[week] = WeekSignals(week, rows.get(week, Tally()), history)
        week += WEEK
    return out


def score_at(
    judged: Mapping[dt.date, WeekSignals],
    week: dt.date,
    current: dt.date,
    settings: HoldSettings,
) -> Reliability:
    """The score as of ``week`` from weeks judged by :func:`judged_weeks` (``current``:
    the week in progress, whose volume counts only above its band)."""
    window = [
        judged[week - i * WEEK] for i in range(settings.history_weeks) if week - i * WEEK in judged
    ]
    totals = Tally()
    for item in window:
        totals.add(item.tally)
    rates = _window_rates(window, current, settings)
    parts: list[Part] = []
    for signal in SIGNALS:
        component = settings.score[signal]
        rate = rates[signal]
        cost = 0.0 if rate is None else min(1.0, rate / component.full_at)
        parts.append(
            Part(signal, rate, component.weight, component.full_at, 100 * component.weight * cost)
        )
    score = round(max(0.0, 100.0 - sum(p.points for p in parts)), 2)
    return Reliability(week, score, tuple(parts), totals, len(window))


def _window_rates(
    window: Sequence[WeekSignals], current: dt.date, settings: HoldSettings
) -> dict[str, float | None]:
    banded = [w for w in window if w.history.volume is not None]
    off_volume = [w for w in banded if w.volume_high or (w.volume_low and w.week < current)]
    threshold = settings.hold_when.amounts or AMOUNTS_OFF
    priced = [
        w
        for w in window
        if w.history.amounts is not None and w.tally.amount_count >= settings.min_amounts
    ]
    off_amounts = [w for w in priced if w.amounts_outside / w.tally.amount_count >= threshold]
    totals = Tally()
    for w in window:
        totals.add(w.tally)
    pooled = WeekSignals(current, totals, NO_HISTORY).rates()
    return {
        "volume": len(off_volume) / len(banded) if banded else None,
        "amounts": len(off_amounts) / len(priced) if priced else None,
        **{k: v for k, v in pooled.items() if k != "amounts"},
    }


__all__ = ["AMOUNTS_OFF", "Part", "Reliability", "judged_weeks", "score_at"]
