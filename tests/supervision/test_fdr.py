"""Benjamini-Hochberg on p-values whose answer is known by hand."""

from __future__ import annotations

import numpy as np
import pytest

from socialcredit.supervision.fdr import bh_adjust, bh_reject


def test_adjusted_p_values_are_the_step_up_minimum_in_the_order_given() -> None:
    # sorted: 0.005, 0.01, 0.03, 0.04 -> times 4/rank: 0.02, 0.02, 0.04, 0.04
    q = bh_adjust([0.01, 0.04, 0.03, 0.005])
    assert q == pytest.approx([0.02, 0.04, 0.04, 0.02])


def test_a_p_value_above_its_own_threshold_is_rejected_with_a_larger_one() -> None:
    # sorted 0.001, 0.008, 0.039, 0.041, 0.9; at q = 0.06 the thresholds are
    # 0.012, 0.024, 0.036, 0.048, 0.06: 0.039 misses its own, 0.041 meets rank 4's
    p = [0.9, 0.041, 0.001, 0.039, 0.008]
    assert list(bh_reject(p, 0.05)) == [False, False, True, False, True]
    assert list(bh_reject(p, 0.06)) == [False, True, True, True, True]


def test_untested_values_stay_out_of_the_count() -> None:
    q = bh_adjust([0.02, np.nan, 0.04])
    assert q[0] == pytest.approx(0.04) and np.isnan(q[1]) and q[2] == pytest.approx(0.04)


def test_nothing_is_rejected_when_nothing_is_small() -> None:
    assert not bh_reject([0.2, 0.5, 0.8], 0.05).any()
    assert bh_adjust([]).size == 0


def test_p_values_outside_0_1_are_refused() -> None:
    with pytest.raises(ValueError):
        bh_adjust([0.2, 1.5])
