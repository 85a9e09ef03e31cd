"""How well a score ranks and how stable its population is: AUC, KS, calibration by
decile and the population stability index (PSI)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

F64 = npt.NDArray[np.float64]
EPS = 1e-4  # a share of zero counts as this much in the PSI


def auc(risk: F64, target: npt.NDArray[np.bool_]) -> float:
    """The area under the ROC curve of ``risk`` (higher: more likely to default), ties
    counted half (the Mann-Whitney statistic)."""
    pos, neg = int(target.sum()), int((~target).sum())
    if pos == 0 or neg == 0:
        return float("nan")
    order = np.argsort(risk, kind="mergesort")
    ranks = np.empty(len(risk))
    sorted_risk = risk[order]
    _, first, counts = np.unique(sorted_risk, return_index=True, return_counts=True)
    avg = first + (counts + 1) / 2.0  # the mean 1-based rank of each tie group
    ranks[order] = np.repeat(avg, counts)
    return float((ranks[target].sum() - pos * (pos + 1) / 2) / (pos * neg))


def ks(risk: F64, target: npt.NDArray[np.bool_]) -> float:
    """The Kolmogorov-Smirnov statistic: the largest gap between the cumulative shares of
    defaulters and of the others, over thresholds of ``risk``."""
    pos, neg = int(target.sum()), int((~target).sum())
    if pos == 0 or neg == 0:
        return float("nan")
    values = np.unique(risk)
    cum_pos = np.searchsorted(np.sort(risk[target]), values, side="right") / pos
    cum_neg = np.searchsorted(np.sort(risk[~target]), values, side="right") / neg
    return float(np.max(np.abs(cum_pos - cum_neg)))


@dataclass(frozen=True)
class Decile:
    decile: int  # 1: the lowest predicted risk
    subjects: int
    predicted: float  # mean predicted probability of default
    observed: float  # share that defaulted


def calibration(probability: F64, target: npt.NDArray[np.bool_], groups: int = 10) -> list[Decile]:
    """Predicted against observed default rates in ``groups`` equal-sized groups by
    predicted probability."""
    order = np.argsort(probability, kind="mergesort")
    out = []
    for i, part in enumerate(np.array_split(order, groups), start=1):
        if len(part):
            out.append(Decile(i, len(part), float(probability[part].mean()),
                              float(target[part].mean())))  # fmt: skip
    return out


def psi(expected: F64, actual: F64, edges: F64) -> float:
    """The population stability index of ``actual`` against ``expected``, over the bins
    cut at ``edges``: sum of (a - e) ln(a / e) over the bins' shares."""
    if len(expected) == 0 or len(actual) == 0:
        return float("nan")
    e = np.bincount(np.digitize(expected, edges), minlength=len(edges) + 1) / len(expected)
    a = np.bincount(np.digitize(actual, edges), minlength=len(edges) + 1) / len(actual)
    e, a = np.maximum(e, EPS), np.maximum(a, EPS)
    return float(np.sum((a - e) * np.log(a / e)))


def decile_edges(values: F64) -> F64:
    """The inner edges of the deciles of ``values`` (distinct; fewer where values tie)."""
    if len(values) == 0:
        return np.zeros(0)
    return np.unique(np.quantile(values, np.linspace(0.1, 0.9, 9)))


def shares(values: F64, edges: F64) -> F64:
    """The share of ``values`` in each bin cut at ``edges``."""
    counts = np.bincount(np.digitize(values, edges), minlength=len(edges) + 1)
    return np.asarray(counts / max(len(values), 1), dtype=np.float64)


def psi_of_shares(expected: F64, actual: F64) -> float:
    """The population stability index of two distributions over the same bins."""
    e, a = np.maximum(expected, EPS), np.maximum(actual, EPS)
    return float(np.sum((a - e) * np.log(a / e)))


__all__ = ["Decile", "auc", "calibration", "decile_edges", "ks", "psi", "psi_of_shares", "shares"]
