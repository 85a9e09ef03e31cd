"""What a decided case's facts predict its outcome to be: one model per case type,
predicted out of fold so that a judge's own cases never predict themselves.

The outcome, per case type, oriented so that more is always more against the
defendant or respondent (``TARGETS``):

* criminal -- the logarithm of the sentence in months, of convictions with a sentence;
* administrative -- 1 if the claim against the administrative body is upheld in whole
  or in part, 0 if dismissed (withdrawn cases decide nothing);
* civil, commercial, enforcement -- the share of the claim awarded (0 when dismissed),
  for cases with a claim that were not withdrawn.

The case facts: the cause of action or charge, the court's level, where the case type
has one the logarithm of the claim, and where the courts name defendants the logarithm
of one plus the defendant's earlier conduct records (with an indicator of cases that
name none). Nothing else about the parties. The models are
scikit-learn's ridge regression on one-hot facts (``linear``) or histogram gradient
boosting (``boosting``), fitted on the folds of :class:`~sklearn.model_selection.GroupKFold`
grouped by judge: each decision is predicted by a model that saw none of its judge's
decisions. Judges named in ``exclude`` (those flagged in an earlier round, see
:func:`socialcredit.supervision.judges.analyse`) are predicted but never trained on, so
that a deviating judge does not move the benchmark the others are measured against.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.linear_model import Ridge
from sklearn.model_selection import GroupKFold

from socialcredit.supervision.decisions import Decisions

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
ModelKind = Literal["linear", "boosting"]
MONEY = ("civil", "commercial", "enforcement")
TARGETS = {
    "criminal": "log of the sentence in months (convictions)",
    "administrative": "claim against the administrative body upheld (1) or dismissed (0)",
    "civil": "share of the claim awarded",
    "commercial": "share of the claim awarded",
    "enforcement": "share of the claim awarded",
}


@dataclass(frozen=True)
class Fit:
    """The out-of-fold predictions of one case type."""

    case_type: str
    index: I64  # positions of the decisions scored, in the Decisions given
    observed: F64
    predicted: F64
    judges: int
    folds: int
    reference: npt.NDArray[np.bool_]  # decisions of judges the models were trained on

    @property
    def residuals(self) -> F64:
        return self.observed - self.predicted

    @property
    def r2(self) -> float:
        """Out-of-fold R²: the share of the outcome's variance the facts explain."""
        total = float(np.sum((self.observed - self.observed.mean()) ** 2))
        return 0.0 if total == 0 else 1.0 - float(np.sum(self.residuals**2)) / total


def outcome(d: Decisions, case_type: str) -> tuple[I64, F64]:
    """The decisions of ``case_type`` that have an outcome to model, and that outcome."""
    of_type = d.case_type == case_type
    if case_type == "criminal":
        keep = of_type & (d.outcome == "convicted") & (d.sentence > 0)
        index = np.flatnonzero(keep)
        return index, np.log(d.sentence[index])
    if case_type == "administrative":
        keep = of_type & np.isin(d.outcome, ("upheld", "partly_upheld", "dismissed"))
        index = np.flatnonzero(keep)
        granted = np.isin(d.outcome[index], ("upheld", "partly_upheld"))
        return index, granted.astype(np.float64)
    keep = of_type & (d.outcome != "withdrawn") & (d.claim > 0)
    index = np.flatnonzero(keep)
    awarded = np.nan_to_num(d.awarded[index], nan=0.0)
    return index, np.clip(awarded / d.claim[index], 0.0, 1.0)


def _codes(values: npt.NDArray[np.object_]) -> I64:
    _, codes = np.unique(values.astype(str), return_inverse=True)
    return codes.astype(np.int64)


def features(d: Decisions, index: I64, case_type: str, kind: ModelKind) -> F64:
    """The case facts of the decisions at ``index`` as a matrix: one-hot cause and court
    level (ordinal codes for boosting), and the log claim where the type has one."""
    cause = _codes(d.cause[index])
    level = _codes(d.court_level[index])
    columns: list[F64] = []
    if kind == "boosting":
        columns += [cause.astype(np.float64)[:, None], level.astype(np.float64)[:, None]]
    else:
        columns += [np.eye(cause.max() + 1)[cause], np.eye(level.max() + 1)[level]]
    if case_type in MONEY:
        columns.append(np.log1p(d.claim[index])[:, None])
    priors = d.priors[index]
    named = ~np.isnan(priors)
    if named.any():
        columns.append(np.log1p(np.nan_to_num(priors))[:, None])
        columns.append((~named).astype(np.float64)[:, None])
    return np.hstack(columns)


def _estimator(kind: ModelKind) -> Callable[[], Ridge | HistGradientBoostingRegressor]:
    if kind == "linear":
        return lambda: Ridge(alpha=1.0)
    return lambda: HistGradientBoostingRegressor(
        max_iter=100,
        learning_rate=0.1,
        max_leaf_nodes=15,
        categorical_features=[0, 1],
        random_state=0,
    )


def fit_out_of_fold(
    d: Decisions,
    case_type: str,
    kind: ModelKind,
    folds: int,
    exclude: frozenset[str] = frozenset(),
) -> Fit | None:
    """Out-of-fold predictions for one case type; None when fewer than two judges
    decided cases of it (no judge could be predicted from the others)."""
    index, y = outcome(d, case_type)
    judges = d.judge[index].astype(str)
    n_judges = len(np.unique(judges))
    if n_judges < 2:
        return None
    reference = ~np.isin(judges, list(exclude))
    x = features(d, index, case_type, kind)
    make = _estimator(kind)
    predicted = np.empty(len(y))
    k = min(folds, n_judges)
    for train, test in GroupKFold(n_splits=k).split(x, y, groups=judges):
        kept = train[reference[train]]
        use = kept if len(kept) else train  # every other judge excluded: train on all
        predicted[test] = make().fit(x[use], y[use]).predict(x[test])
    return Fit(case_type, index, y, predicted, n_judges, k, reference)


def fit_all(
    d: Decisions, kind: ModelKind, folds: int, exclude: frozenset[str] = frozenset()
) -> tuple[list[Fit], list[str]]:
    """A fit for every case type present, and the types that could not be fitted."""
    fits: list[Fit] = []
    skipped: list[str] = []
    for case_type in sorted({str(t) for t in d.case_type}):
        fit = fit_out_of_fold(d, case_type, kind, folds, exclude)
        if fit is None or len(fit.index) == 0:
            skipped.append(case_type)
        else:
            fits.append(fit)
    return fits, skipped


__all__ = ["MONEY", "TARGETS", "Fit", "ModelKind", "features", "fit_all", "fit_out_of_fold"]
