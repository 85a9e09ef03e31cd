"""Hand-made groups with known answers: the Wilson interval, the disparity ratio and
when a group is flagged (the four-fifths rule with enough cases behind it)."""

from __future__ import annotations

import pytest

from socialcredit.monitoring.disparity import compare, wilson
from socialcredit.policy.fairness import FairnessSettings

RULE = FairnessSettings()  # four-fifths, 30 cases, 5 events, 95 %


def test_the_wilson_interval_of_5_in_50() -> None:
    r = wilson(5, 50, 0.95)
    assert r.rate == 0.1
    assert (round(r.low, 4), round(r.high, 4)) == (0.0435, 0.2136)


def test_a_group_three_times_the_population_rate_is_flagged() -> None:
    population, groups = compare("home_region", {"650000": (30, 100), "370000": (10, 300)}, RULE)
    assert (population.events, population.cases) == (40, 400)
    by = {g.group: g for g in groups}
    assert by["650000"].ratio == pytest.approx(0.1 / 0.3)
    assert by["650000"].flagged
    assert by["370000"].ratio == pytest.approx(3.0)  # better off than the population
    assert not by["370000"].flagged


def test_a_group_with_too_few_cases_is_never_flagged() -> None:
    _population, groups = compare("age_band", {"18-29": (9, 20), "30-44": (40, 980)}, RULE)
    small = next(g for g in groups if g.group == "18-29")
    assert small.ratio is not None and small.ratio < 0.2
    assert not small.flagged  # 20 members: fewer than min_cases
    looser = RULE.model_copy(update={"min_cases": 20})
    _population, groups = compare("age_band", {"18-29": (9, 20), "30-44": (40, 980)}, looser)
    assert next(g for g in groups if g.group == "18-29").flagged


def test_a_group_with_too_few_events_is_never_flagged() -> None:
    _population, groups = compare("sex", {"female": (4, 40), "male": (1, 960)}, RULE)
    assert not any(g.flagged for g in groups)  # 4 events: fewer than min_events


def test_the_threshold_is_the_packs() -> None:
    # 1200 of 10 000 against 1000 of 10 000 in the rest: ratio 0.1100 / 0.12 = 0.9167
    groups_in = {"male": (1200, 10_000), "female": (1000, 10_000)}
    _population, groups = compare("sex", groups_in, RULE)
    male = next(g for g in groups if g.group == "male")
    assert male.ratio == pytest.approx(0.11 / 0.12)
    assert not male.flagged  # within four fifths
    strict = RULE.model_copy(update={"threshold": 0.95})
    _population, groups = compare("sex", groups_in, strict)
    assert next(g for g in groups if g.group == "male").flagged


def test_a_ratio_past_the_threshold_by_chance_is_not_flagged() -> None:
    # 7 of 40 against 0.1 overall: ratio 0.57, but the interval reaches below 0.1
    _population, groups = compare("sex", {"a": (7, 40), "b": (93, 960)}, RULE)
    a = next(g for g in groups if g.group == "a")
    assert a.ratio is not None and a.ratio < 0.8 and a.rate.low < 0.1
    assert not a.flagged


def test_a_group_without_events_has_no_ratio() -> None:
    _population, groups = compare("sex", {"a": (0, 100), "b": (10, 100)}, RULE)
    assert next(g for g in groups if g.group == "a").ratio is None
