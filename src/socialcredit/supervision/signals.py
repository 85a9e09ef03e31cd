"""A feed's signals for one week, against its own history, and the thresholds of the
pack (``holds.yaml``) they cross.

History is the ``history_weeks`` weeks before the week judged, from the feed's first
week on (a week without a row sent nothing); its bands count once the feed has
``min_history_weeks`` weeks behind it. The volume is the records appended in the
week; the amounts are those of the appended records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from socialcredit.policy.holds import HoldSettings
from socialcredit.supervision.bands import Band, amount_band, count_band, outside_count
from socialcredit.supervision.feeds import Tally

WEEK = dt.timedelta(days=7)


@dataclass(frozen=True)
class History:
    """What a week of a feed is judged against (None: not enough history yet)."""

    volume: Band | None
    amounts: Band | None


NO_HISTORY = History(None, None)


def past_weeks(week: dt.date, first: dt.date, settings: HoldSettings) -> list[dt.date]:
    """The weeks a week is judged against: up to ``history_weeks`` before it, from the
    feed's first week on."""
    start = max(first, week - settings.history_weeks * WEEK)
    return [start + i * WEEK for i in range((week - start) // WEEK)]


def history_of(
    rows: Mapping[dt.date, Tally],
    first: dt.date | None,
    week: dt.date,
    settings: HoldSettings,
    category: str,
) -> History:
    """The bands of ``week`` from the feed's rows of the weeks before it."""
    if first is None or (week - first) // WEEK < settings.min_history_weeks:
        return NO_HISTORY
    weeks = past_weeks(week, first, settings)
    volume = None
    if category not in settings.no_volume:
        counts = [rows[w].received if w in rows else 0 for w in weeks]
        volume = count_band(counts, settings.band_k)
    pooled: dict[int, int] = {}
    for w in weeks:
        if w in rows:
            for b, n in rows[w].amounts.items():
                pooled[b] = pooled.get(b, 0) + n
    amounts = None
    if sum(pooled.values()) >= settings.min_history_amounts:
        amounts = amount_band(pooled, settings.amount_band_k, settings.amount_min_spread)
    return History(volume, amounts)


@dataclass(frozen=True)
class WeekSignals:
    """One week of a feed: its counts, its rates and where it stands against its bands."""

    week: dt.date
    tally: Tally
    history: History

    @property
    def volume_high(self) -> bool:
        band = self.history.volume
        return band is not None and self.tally.received > band.high

    @property
    def volume_low(self) -> bool:
        band = self.history.volume
        return band is not None and self.tally.received < band.low

    @property
    def amounts_outside(self) -> int:
        band = self.history.amounts
        return 0 if band is None else outside_count(self.tally.amounts, band)

    def rates(self) -> dict[str, float | None]:
        """Each rate signal of the week (None: nothing to divide by)."""
        t = self.tally
        amounts = t.amount_count if self.history.amounts is not None else 0
        return {
            "amounts": _share(self.amounts_outside, amounts),
            "late": _share(t.late, t.received),
            "duplicates": _share(t.duplicates, t.sent),
            "conflicts": _share(t.conflicts, t.sent),
            "refused": _share(t.refused, t.sent),
            "corrections": _share(t.corrections + t.withdrawals, t.received),
            "objections_upheld": _share(t.upheld, t.objections),
        }


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True)
class Crossing:
    """A threshold of ``hold_when`` the week crossed."""

    signal: str
    value: float
    threshold: float

    def to_dict(self) -> dict[str, object]:
        return {"signal": self.signal, "value": round(self.value, 4), "threshold": self.threshold}


def crossings(signals: WeekSignals, settings: HoldSettings) -> list[Crossing]:
    """The thresholds the week crossed: the volume above its band; the share of amounts
    outside theirs (from ``min_amounts`` amounts); each rate (from ``min_records``
    records sent, or objections decided)."""
    when = settings.hold_when
    t = signals.tally
    out: list[Crossing] = []
    band = signals.history.volume
    if when.volume and band is not None and signals.volume_high:
        out.append(Crossing("volume", float(t.received), round(band.high, 2)))
    rates = signals.rates()
    enough = {
        "amounts": t.amount_count >= settings.min_amounts,
        "late": t.received >= settings.min_records,
        "duplicates": t.sent >= settings.min_records,
        "conflicts": t.sent >= settings.min_records,
        "refused": t.sent >= settings.min_records,
        "corrections": t.received >= settings.min_records,
        "objections_upheld": t.objections >= settings.min_records,
    }
    for signal, rate in rates.items():
        threshold = getattr(when, signal)
        if threshold is not None and rate is not None and enough[signal] and rate >= threshold:
            out.append(Crossing(signal, rate, threshold))
    return out


def could_cross(t: Tally, settings: HoldSettings) -> bool:
    """Whether a week of these counts could cross any threshold, whatever its history:
    a volume band never tops less than ``band_k`` records (its spread is at least one),
    and the rates and amounts are judged only from their minimum counts. A week that
    cannot is not judged (its history is not even read)."""
    when = settings.hold_when
    rates = (when.late, when.duplicates, when.conflicts, when.refused, when.corrections)
    return (
        (when.volume and t.received > settings.band_k)
        or (when.amounts is not None and t.amount_count >= settings.min_amounts)
        or (any(r is not None for r in rates) and t.sent >= settings.min_records)
        or (when.objections_upheld is not None and t.objections >= settings.min_records)
    )


__all__ = [
    "NO_HISTORY",
    "WEEK",
    "Crossing",
    "History",
    "WeekSignals",
    "could_cross",
    "crossings",
    "history_of",
    "past_weeks",
]
