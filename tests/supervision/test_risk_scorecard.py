"""Binning, points and the evaluation figures on hand-made data with known answers."""

from __future__ import annotations

import math
from itertools import pairwise

import numpy as np
import pytest

from socialcredit.policy.risk import RiskSettings
from socialcredit.supervision.risk.features import NAMES
from socialcredit.supervision.risk.metrics import auc, calibration, ks, psi, psi_of_shares
from socialcredit.supervision.risk.scorecard import Scorecard, fit, woe_of


def test_auc_and_ks_of_a_known_ranking() -> None:
    target = np.array([False, False, True, False, True, True])
    risk = np.array([0.1, 0.2, 0.3, 0.4, 0.5, 0.6])
    assert auc(risk, target) == pytest.approx(8 / 9)  # one pair of nine out of order
    assert ks(risk, target) == pytest.approx(2 / 3)
    assert auc(np.ones(6), target) == pytest.approx(0.5)  # ties count half


def test_psi_of_known_shares() -> None:
    e, a = np.array([0.5, 0.5]), np.array([0.25, 0.75])
    expected = 0.25 * math.log(0.75 / 0.5) - 0.25 * math.log(0.25 / 0.5)
    assert psi_of_shares(e, a) == pytest.approx(expected)
    same = np.arange(100.0)
    assert psi(same, same, np.array([25.0, 50.0, 75.0])) == pytest.approx(0.0)


def test_weight_of_evidence_per_bin() -> None:
    values = np.array([0, 0, 0, 0, 1, 1, 2, 2], dtype=float)
    target = np.array([0, 0, 0, 1, 0, 1, 1, 1], dtype=bool)
    woe, events, counts = woe_of([0.5, 1.5], values, target)
    assert counts.tolist() == [4, 2, 2] and events.tolist() == [1, 1, 2]
    assert woe[0] > woe[1] > woe[2]  # more of it, fewer non-defaulters per defaulter


@pytest.fixture(scope="module")
def card_and_data() -> tuple[Scorecard, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(3)
    n = 6000
    x = np.zeros((n, len(NAMES)))
    x[:, NAMES.index("months_since_adverse")] = 120.0
    x[:, NAMES.index("capital")] = -1.0
    adverse = rng.poisson(0.8, n).astype(float)
    x[:, NAMES.index("adverse_all")] = adverse
    p = 1 / (1 + np.exp(-(-4.0 + 0.9 * adverse)))
    return fit(x, rng.random(n) < p, RiskSettings()), x, p


def test_a_count_is_binned_monotonically_and_costs_points(card_and_data: tuple) -> None:
    card, _, _ = card_and_data
    binned = {f.name: f for f in card.features}
    assert set(binned) == {"adverse_all"}  # features that are constant do not bin
    points = binned["adverse_all"].points
    assert len(points) >= 3
    assert all(a > b for a, b in pairwise(points))  # monotonic


def test_points_to_double_the_odds(card_and_data: tuple) -> None:
    card, _, _ = card_and_data
    s = RiskSettings()
    p = card.probability(np.array([s.base_score, s.base_score + s.pdo]))
    odds = (1 - p) / p
    assert odds[0] == pytest.approx(s.base_odds)
    assert odds[1] == pytest.approx(2 * s.base_odds)


def test_calibration_follows_the_truth_and_reasons_name_the_count(card_and_data: tuple) -> None:
    card, x, p = card_and_data
    prob = card.probability(card.score(x))
    deciles = calibration(prob, np.random.default_rng(4).random(len(p)) < p)
    assert deciles[-1].observed > deciles[0].observed
    worst = x[np.argmax(x[:, NAMES.index("adverse_all")])]
    reasons = card.reasons(worst, 4)
    assert [r.feature for r in reasons] == ["adverse_all"]
    assert reasons[0].zh and reasons[0].en
    best = x[np.argmin(x[:, NAMES.index("adverse_all")])]
    assert card.reasons(best, 4) == []  # nothing lowers the best subject's score
    assert Scorecard.from_dict(card.to_dict()) == card
