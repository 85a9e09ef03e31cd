"""The scorecard: each feature binned (monotonic where it should be), weights of evidence,
a logistic regression on them, and points scaled so that ``pdo`` points double the odds.

A fitted :class:`Scorecard` is plain data (:meth:`Scorecard.to_dict`): the splits, the
points of each bin and the scaling; scoring needs neither optbinning nor scikit-learn.
Binning uses optbinning's optimal binning under a monotonic constraint for the counts
and recencies (:data:`~socialcredit.supervision.risk.features.FEATURES` says which way).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from socialcredit.policy.risk import RiskSettings
from socialcredit.supervision.risk.features import BY_NAME, F64, FEATURES, NAMES

SMOOTH = 0.5  # added to each bin's counts so an empty side has a finite weight of evidence


@dataclass(frozen=True)
class Binned:
    """One feature's bins: the splits (a value below splits[0] is in bin 0, at or above
    splits[-1] in the last), the weight of evidence and the points of each bin."""

    name: str
    splits: tuple[float, ...]
    woe: tuple[float, ...]
    points: tuple[float, ...]
    events: tuple[int, ...]  # defaults in each bin, in training
    counts: tuple[int, ...]  # subjects in each bin, in training

    def bin_of(self, values: F64) -> npt.NDArray[np.int64]:
        return np.digitize(values, np.asarray(self.splits, dtype=np.float64)).astype(np.int64)

    def label(self, index: int) -> str:
        lo = "-inf" if index == 0 else f"{self.splits[index - 1]:g}"
        hi = "inf" if index == len(self.splits) else f"{self.splits[index]:g}"
        return f"[{lo}, {hi})"


@dataclass(frozen=True)
class Reason:
    feature: str
    shortfall: float  # points below the best bin of the feature
    en: str
    zh: str


@dataclass(frozen=True)
class Scorecard:
    features: tuple[Binned, ...]
    base_points: float
    base_score: int
    base_odds: float
    pdo: float

    @property
    def factor(self) -> float:
        return self.pdo / math.log(2)

    @property
    def offset(self) -> float:
        return self.base_score - self.factor * math.log(self.base_odds)

    def points(self, x: F64) -> F64:
        """Each subject's points per feature of the card (rows of ``x``: NAMES order)."""
        out = np.zeros((x.shape[0], len(self.features)))
        for j, f in enumerate(self.features):
            out[:, j] = np.asarray(f.points)[f.bin_of(x[:, NAMES.index(f.name)])]
        return out

    def score(self, x: F64) -> F64:
        return np.asarray(self.base_points + self.points(x).sum(axis=1), dtype=np.float64)

    def probability(self, score: F64) -> F64:
        """The probability of a serious default at ``score`` (the scaling inverted)."""
        odds_good = np.exp((score - self.offset) / self.factor)
        return np.asarray(1.0 / (1.0 + odds_good), dtype=np.float64)

    def reasons(self, x_row: F64, n: int) -> list[Reason]:
        """The ``n`` features that lower this subject's score most (points short of each
        feature's best bin), largest first; none where a feature is at its best."""
        pts = self.points(x_row.reshape(1, -1))[0]
        found = []
        for j, f in enumerate(self.features):
            short = max(f.points) - pts[j]
            if short > 1e-9:
                found.append(Reason(f.name, float(short), BY_NAME[f.name].en, BY_NAME[f.name].zh))
        found.sort(key=lambda r: -r.shortfall)
        return found[:n]

    def to_dict(self) -> dict[str, Any]:
        return {
            "base_points": self.base_points,
            "base_score": self.base_score,
            "base_odds": self.base_odds,
            "pdo": self.pdo,
            "features": [
                {"name": f.name, "splits": list(f.splits), "woe": list(f.woe),
                 "points": list(f.points), "events": list(f.events), "counts": list(f.counts)}
                for f in self.features
            ],
        }  # fmt: skip

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Scorecard:
        return cls(
            features=tuple(
                Binned(f["name"], tuple(f["splits"]), tuple(f["woe"]), tuple(f["points"]),
                       tuple(f["events"]), tuple(f["counts"]))
                for f in data["features"]
            ),
            base_points=float(data["base_points"]),
            base_score=int(data["base_score"]),
            base_odds=float(data["base_odds"]),
            pdo=float(data["pdo"]),
        )  # fmt: skip


def find_splits(
    values: F64, target: npt.NDArray[np.bool_], name: str, s: RiskSettings
) -> list[float]:
    """optbinning's optimal splits of one feature, monotonic as the feature says."""
    from optbinning import OptimalBinning  # heavy: only when training

    trend = BY_NAME[name].trend
    optb = OptimalBinning(
        name=name,
        dtype="numerical",
        solver="cp",
        monotonic_trend="auto_asc_desc" if trend == "auto" else trend,
        max_n_bins=s.max_bins,
        min_bin_size=s.min_bin_share,
    )
    optb.fit(values, target.astype(int))
    return [float(v) for v in optb.splits]


def woe_of(splits: Sequence[float], values: F64, target: npt.NDArray[np.bool_]) -> tuple[
    F64, npt.NDArray[np.int64], npt.NDArray[np.int64]
]:  # fmt: skip
    """The weight of evidence of each bin, ln(share of non-defaulters / share of
    defaulters), with the defaults and the subjects of each bin."""
    idx = np.digitize(values, np.asarray(splits, dtype=np.float64))
    k = len(splits) + 1
    counts = np.bincount(idx, minlength=k).astype(np.int64)
    events = np.bincount(idx, weights=target.astype(float), minlength=k).astype(np.int64)
    goods = counts - events
    g, b = goods.sum(), events.sum()
    woe = np.log(((goods + SMOOTH) / (g + SMOOTH)) / ((events + SMOOTH) / (b + SMOOTH)))
    return woe, events, counts


def fit(x: F64, target: npt.NDArray[np.bool_], s: RiskSettings) -> Scorecard:
    """Bin every feature, fit the logistic regression on the weights of evidence, and
    scale to points; a feature whose weight comes out the wrong way (it would raise the
    score for more risk, through its overlap with others) or that bins to one bin is left
    out and the regression refitted."""
    from sklearn.linear_model import LogisticRegression

    binned: dict[str, tuple[list[float], F64, Any, Any]] = {}
    for j, name in enumerate(NAMES):
        splits = find_splits(x[:, j], target, name, s)
        if splits:
            binned[name] = (splits, *woe_of(splits, x[:, j], target))
    kept = list(binned)
    while True:
        if not kept:
            raise ValueError("no feature separates defaulters from the others")
        w = np.column_stack([binned[n][1][np.digitize(x[:, NAMES.index(n)], binned[n][0])]
                             for n in kept])  # fmt: skip
        model = LogisticRegression(C=1.0, max_iter=1000).fit(w, target.astype(int))
        coef = model.coef_[0]
        wrong = [n for n, c in zip(kept, coef, strict=True) if c >= 0]
        if not wrong:
            break
        kept.remove(max(wrong, key=lambda n: coef[kept.index(n)]))
    factor = s.pdo / math.log(2)
    offset = s.base_score - factor * math.log(s.base_odds)
    features = tuple(
        Binned(
            n, tuple(binned[n][0]), tuple(float(v) for v in binned[n][1]),
            tuple(float(-factor * c * v) for v in binned[n][1]),
            tuple(int(v) for v in binned[n][2]), tuple(int(v) for v in binned[n][3]),
        )
        for n, c in zip(kept, coef, strict=True)
    )  # fmt: skip
    base = offset - factor * float(model.intercept_[0])
    return Scorecard(features, base, s.base_score, s.base_odds, s.pdo)


__all__ = ["FEATURES", "Binned", "Reason", "Scorecard", "find_splits", "fit", "woe_of"]
