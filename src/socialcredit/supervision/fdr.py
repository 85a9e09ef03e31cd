"""Multiple testing: the Benjamini-Hochberg step-up procedure.

Benjamini, Y. and Hochberg, Y. (1995), "Controlling the false discovery rate", JRSS B
57(1): 289-300. Among m p-values sorted ascending, the largest k with
``p_(k) <= k * q / m`` is found and the k smallest are rejected; the adjusted p-value
(q-value) of ``p_(i)`` is ``min over j >= i of p_(j) * m / j``, capped at 1, so a test
is rejected at level q exactly when its adjusted p-value is at most q. Every
supervision analytic flags with it, at the ``fdr`` of the pack's supervision settings.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

F64 = npt.NDArray[np.float64]


def bh_adjust(p_values: npt.ArrayLike) -> F64:
    """Benjamini-Hochberg adjusted p-values, in the order given (NaN stays NaN and does
    not count among the tests)."""
    p = np.asarray(p_values, dtype=np.float64)
    out = np.full(p.shape, np.nan)
    tested = np.flatnonzero(~np.isnan(p))
    m = len(tested)
    if m == 0:
        return out
    if np.any((p[tested] < 0) | (p[tested] > 1)):
        raise ValueError("p-values lie between 0 and 1")
    order = tested[np.argsort(p[tested], kind="stable")]
    scaled = p[order] * m / np.arange(1, m + 1)
    adjusted = np.minimum.accumulate(scaled[::-1])[::-1]
    out[order] = np.minimum(adjusted, 1.0)
    return out


def bh_reject(p_values: npt.ArrayLike, fdr: float) -> npt.NDArray[np.bool_]:
    """Which tests the procedure rejects at false discovery rate ``fdr``."""
    if not 0 < fdr < 1:
        raise ValueError("the false discovery rate lies strictly between 0 and 1")
    q = bh_adjust(p_values)
    return np.asarray(~np.isnan(q) & (q <= fdr))


__all__ = ["bh_adjust", "bh_reject"]
