"""Deviation: how far each decision, and each judge, lies from what the case facts
predict.

**A decision's deviation score** is its out-of-fold residual standardised within its
case type: ``z = (r - mean r) / sd r``, the mean and standard deviation taken over the
case type's out-of-fold residuals of the reference judges (those the models were
trained on), so
that a score reads the same for sentences, awards and administrative outcomes (positive:
more against the defendant than the facts predict). Its two-sided p-value is that of
the standardised residual, ``2 * (1 - Phi(|z|))``; decisions are flagged by
Benjamini-Hochberg over every decision scored, at the pack's ``fdr``.

**A judge's deviation index** is the mean deviation score of the judge's decisions,
with a 95% confidence interval from Student's t (``mean ± t(0.975, n-1) · s / sqrt n``)
and the two-sided p-value of the one-sample t-test of a zero mean. A judge with at
least ``min_cases`` decisions is flagged when the Benjamini-Hochberg adjusted p-value
over those judges is at most the pack's ``fdr``; since the adjusted p-value is never
below the p-value, a flagged judge's 95% interval always excludes 0 (for ``fdr`` up
to 0.05).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import stats

from socialcredit.supervision.fdr import bh_adjust
from socialcredit.supervision.judges_model import Fit

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Scores:
    """Deviation scores of the decisions scored (positions in the Decisions given)."""

    index: I64
    case_type: npt.NDArray[np.object_]
    observed: F64
    predicted: F64
    score: F64
    p_value: F64
    q_value: F64
    flagged: npt.NDArray[np.bool_]


def standardise(residuals: F64, reference: npt.NDArray[np.bool_] | None = None) -> F64:
    """Residuals centred and scaled by the mean and standard deviation of the
    ``reference`` ones (default: all); all 0 when those are constant."""
    base = residuals if reference is None or reference.sum() < 2 else residuals[reference]
    sd = float(np.std(base, ddof=1)) if len(base) > 1 else 0.0
    if sd == 0 or not np.isfinite(sd):
        return np.zeros(len(residuals))
    return np.asarray((residuals - base.mean()) / sd)


def score_decisions(fits: list[Fit], fdr: float) -> Scores:
    """Deviation scores, p-values and Benjamini-Hochberg flags of every decision fitted."""
    if not fits:
        empty = np.zeros(0)
        return Scores(
            np.zeros(0, np.int64),
            np.zeros(0, object),
            empty,
            empty,
            empty,
            empty,
            empty,
            np.zeros(0, bool),
        )
    score = np.concatenate([standardise(f.residuals, f.reference) for f in fits])
    p = 2.0 * stats.norm.sf(np.abs(score))
    q = bh_adjust(p)
    return Scores(
        index=np.concatenate([f.index for f in fits]),
        case_type=np.concatenate([np.full(len(f.index), f.case_type, dtype=object) for f in fits]),
        observed=np.concatenate([f.observed for f in fits]),
        predicted=np.concatenate([f.predicted for f in fits]),
        score=score,
        p_value=p,
        q_value=q,
        flagged=q <= fdr,
    )


@dataclass(frozen=True)
class JudgeIndex:
    judge: str
    cases: int
    index: float
    ci_low: float | None  # None: a single decision has no interval
    ci_high: float | None
    p_value: float
    q_value: float | None  # None: fewer than min_cases, not tested
    flagged: bool


def judge_indices(
    judges: npt.NDArray[np.object_], score: F64, fdr: float, min_cases: int
) -> list[JudgeIndex]:
    """Each judge's deviation index with its interval, test and flag (``judges``: the
    judge of each score), most deviating first."""
    names = judges.astype(str)
    rows: list[tuple[str, int, float, float | None, float | None, float]] = []
    for judge in sorted(set(names)):
        z = score[names == judge]
        n = len(z)
        mean = float(z.mean())
        if n < 2:
            rows.append((judge, n, mean, None, None, 1.0))
            continue
        se = float(np.std(z, ddof=1)) / np.sqrt(n)
        if se == 0:
            p = 1.0 if mean == 0 else 0.0
            rows.append((judge, n, mean, mean, mean, p))
            continue
        half = float(stats.t.ppf(0.975, n - 1)) * se
        p = float(2 * stats.t.sf(abs(mean) / se, n - 1))
        rows.append((judge, n, mean, mean - half, mean + half, p))
    tested = np.array([r[1] >= min_cases for r in rows], dtype=bool)
    q = np.full(len(rows), np.nan)
    if tested.any():
        q[tested] = bh_adjust(np.array([r[5] for r in rows])[tested])
    out = [
        JudgeIndex(
            judge=r[0],
            cases=r[1],
            index=r[2],
            ci_low=r[3],
            ci_high=r[4],
            p_value=r[5],
            q_value=None if np.isnan(q[i]) else float(q[i]),
            flagged=bool(tested[i] and q[i] <= fdr),
        )
        for i, r in enumerate(rows)
    ]
    out.sort(key=lambda j: (not j.flagged, j.p_value, j.judge))
    return out


__all__ = ["JudgeIndex", "Scores", "judge_indices", "score_decisions", "standardise"]
