"""Bands, signals and the reliability score on hand-made feeds whose answers are worked
out by hand."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socialcredit.policy.holds import HoldSettings
from socialcredit.policy.pack import load_pack
from socialcredit.supervision.bands import amount_band, count_band, outside_count
from socialcredit.supervision.feeds import Tally, amount_bin, week_of
from socialcredit.supervision.reliability import judged_weeks, score_at
from socialcredit.supervision.signals import WEEK, WeekSignals, could_cross, crossings, history_of

NATIONAL = load_pack("national").holds
assert isinstance(NATIONAL, HoldSettings)
SETTINGS: HoldSettings = NATIONAL
W0 = dt.date(2026, 1, 5)  # a Monday


def weeks(*tallies: Tally) -> dict[dt.date, Tally]:
    return {W0 + i * WEEK: t for i, t in enumerate(tallies)}


def test_a_count_band_is_the_median_and_the_scaled_mad_never_below_poisson() -> None:
    wide = count_band([10, 30, 10, 30, 20, 20], k=2)  # median 20, MAD 10
    assert (wide.median, wide.spread) == (20, pytest.approx(14.826))
    assert wide.high == pytest.approx(49.652) and wide.low == pytest.approx(-9.652)
    steady = count_band([9, 9, 9, 9], k=5)  # no deviation at all: the Poisson floor, 3
    assert (steady.spread, steady.high) == (3.0, 24.0)
    silent = count_band([0, 0, 0], k=5)  # and never below one record
    assert (silent.spread, silent.high) == (1.0, 5.0)


def test_an_amount_band_is_on_a_log_scale() -> None:
    hundreds = {amount_bin(v): 1 for v in (100, 100, 1_000, 10, 100)}
    hundreds[amount_bin(100)] = 3
    band = amount_band(hundreds, k=2)  # median 10^2.025; deviations 0, 0, 0, 1, 1: MAD 0
    assert band.median == pytest.approx(2.025)
    assert band.spread == pytest.approx(0.05)  # one bin
    wide = amount_band(hundreds, k=2, least=0.5)
    assert (wide.low, wide.high) == (pytest.approx(1.025), pytest.approx(3.025))
    week = {amount_bin(200): 2, amount_bin(20_000): 1}  # 20,000 is a decade too far
    assert outside_count(week, wide) == 1


def test_a_week_is_judged_against_the_weeks_before_it() -> None:
    rows = weeks(*(Tally(received=2) for _ in range(8)), Tally(received=12))
    spike = W0 + 8 * WEEK
    history = history_of(rows, W0, spike, SETTINGS, "judicial.judgment_default")
    assert history.volume is not None and history.volume.high == pytest.approx(2 + 5 * math.sqrt(2))
    signals = WeekSignals(spike, rows[spike], history)
    assert signals.volume_high and not signals.volume_low
    assert [c.to_dict() for c in crossings(signals, SETTINGS)] == [
        {"signal": "volume", "value": 12.0, "threshold": 9.07}
    ]
    # five weeks of history are not enough (min_history_weeks: 6); a calendar category
    # has no volume signal at all
    assert history_of(rows, W0, W0 + 5 * WEEK, SETTINGS, "x").volume is None
    assert history_of(rows, W0, spike, SETTINGS, "tax.credit_grade").volume is None


def test_amounts_a_hundred_times_too_high_cross_their_threshold() -> None:
    usual = Tally()
    for v in (900, 1_000, 1_100, 1_000, 950):
        usual.amount(v)
    rows = weeks(*(usual for _ in range(6)))
    week = W0 + 6 * WEEK
    fen = Tally(received=4)
    for v in (95_000, 100_000, 110_000, 1_000):  # three reported in fen, one right
        fen.amount(v)
    signals = WeekSignals(week, fen, history_of(rows, W0, week, SETTINGS, "x"))
    assert signals.amounts_outside == 3
    assert [c.to_dict() for c in crossings(signals, SETTINGS)] == [
        {"signal": "amounts", "value": 0.75, "threshold": 0.5}
    ]


@pytest.mark.parametrize(
    ("tally", "signal", "value"),
    [
        (Tally(received=16, refused=4, refused_codes={"conflict": 4}), "conflicts", 0.2),
        (Tally(received=15, refused=5, refused_codes={"schema_violation": 5}), "refused", 0.25),
    ],
)
def test_rates_cross_their_thresholds_from_enough_records(
    tally: Tally, signal: str, value: float
) -> None:
    week = W0 + 8 * WEEK
    history = history_of(weeks(*(Tally(received=20) for _ in range(8))), W0, week, SETTINGS, "x")
    found = {c.signal: c.value for c in crossings(WeekSignals(week, tally, history), SETTINGS)}
    assert found[signal] == pytest.approx(value)
    small = Tally(received=4, refused=4, refused_codes={"conflict": 4})  # 8 sent: too few
    assert crossings(WeekSignals(week, small, history), SETTINGS) == []


def test_every_rate_of_a_week() -> None:
    t = Tally(
        received=20,
        duplicates=5,
        refused=5,
        late=4,
        corrections=1,
        withdrawals=1,
        objections=4,
        upheld=1,
        refused_codes={"conflict": 3, "schema_violation": 2},
    )
    rates = WeekSignals(W0, t, history_of({}, None, W0, SETTINGS, "x")).rates()
    assert rates == {
        "amounts": None,
        "late": 0.2,
        "duplicates": 5 / 30,
        "conflicts": 0.1,
        "refused": 5 / 30,
        "corrections": 0.1,
        "objections_upheld": 0.25,
    }


def test_the_reliability_score_adds_up_its_components() -> None:
    """Ten weeks of ten records: 25 late, 10 refused of 110 sent, 5 corrections and 5
    withdrawals, 4 objections decided of which 1 upheld, volume steady, no amounts.

    late 0.25 of full 0.5: 0.1 x 0.5 = 5 points; refused 10/110 of full 0.1:
    0.15 x 0.909 = 13.64; corrections 0.1 of full 0.1: 10; objections upheld 0.25 of
    full 0.5: 0.15 x 0.5 = 7.5. Score 100 - 36.14 = 63.86."""
    tallies = [Tally(received=10) for _ in range(10)]
    tallies[0].late, tallies[9].late = 5, 20
    tallies[3].refuse("schema_violation")
    for t in tallies[4:]:
        t.refused_codes["future_date"] = 1
        t.refused += 1
    tallies[5].refused_codes["future_date"] += 3
    tallies[5].refused += 3
    tallies[7].corrections, tallies[8].withdrawals = 5, 5
    tallies[2].objections, tallies[2].upheld = 4, 1
    rows = weeks(*tallies)
    last = W0 + 9 * WEEK
    judged = judged_weeks(rows, W0, last, SETTINGS, "x")
    result = score_at(judged, last, last, SETTINGS)
    parts = {p.signal: round(p.points, 2) for p in result.parts}
    assert parts == {
        "volume": 0.0,
        "amounts": 0.0,
        "late": 5.0,
        "duplicates": 0.0,
        "conflicts": 0.0,
        "refused": 13.64,
        "corrections": 10.0,
        "objections_upheld": 7.5,
    }
    assert result.score == 63.86 and result.weeks == 10 and result.totals.sent == 110


def test_the_volume_component_is_the_share_of_weeks_outside_the_band() -> None:
    counts = [100] * 8 + [200, 100, 0, 100]  # week 9 a spike; week 11 silent
    rows = weeks(*(Tally(received=n) for n in counts))
    last = W0 + 11 * WEEK
    judged = judged_weeks(rows, W0, last, SETTINGS, "x")
    done = score_at(judged, last, last + WEEK, SETTINGS)  # every week over
    # bands from week 7 on (6 weeks of history): weeks 7-12, two of them off
    (volume,) = (p for p in done.parts if p.signal == "volume")
    assert volume.rate == pytest.approx(2 / 6) and volume.points == pytest.approx(20.0)
    # while the silent week is the week in progress it is not over: not yet off
    ongoing = score_at(judged, last - WEEK, last - WEEK, SETTINGS)
    (volume,) = (p for p in ongoing.parts if p.signal == "volume")
    assert volume.rate == pytest.approx(1 / 5)


def test_a_week_begins_on_monday_in_china() -> None:
    # Sunday 8 March, 23:30 in Beijing is still the week of 2 March; 16:30 UTC is Monday's
    assert week_of(dt.datetime(2026, 3, 8, 15, 30)) == dt.date(2026, 3, 2)
    assert week_of(dt.datetime(2026, 3, 8, 16, 30)) == dt.date(2026, 3, 9)


@settings(max_examples=300, deadline=None)
@given(
    week=st.builds(
        Tally,
        received=st.integers(0, 60),
        duplicates=st.integers(0, 10),
        refused=st.integers(0, 30),
        late=st.integers(0, 20),
        objections=st.integers(0, 30),
        upheld=st.integers(0, 30),
        refused_codes=st.dictionaries(
            st.sampled_from(["conflict", "malformed"]), st.integers(0, 30)
        ),
        amounts=st.dictionaries(st.integers(0, 200), st.integers(1, 3), max_size=4),
    ),
    past=st.lists(st.integers(0, 8), min_size=8, max_size=12),
    amounts=st.dictionaries(st.integers(0, 200), st.integers(1, 5), max_size=20),
)
def test_a_week_that_could_not_cross_never_does(
    week: Tally, past: list[int], amounts: dict[int, int]
) -> None:
    """The watcher skips reading the history of such a week: it must lose no hold."""
    rows = weeks(*(Tally(received=n, amounts=amounts) for n in past))
    day = W0 + len(past) * WEEK
    for history in (
        history_of(rows, W0, day, SETTINGS, "x"),
        history_of({}, None, day, SETTINGS, "x"),
    ):
        if not could_cross(week, SETTINGS):
            assert crossings(WeekSignals(day, week, history), SETTINGS) == []
