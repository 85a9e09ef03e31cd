"""Effect periods, sector minima, the end day and `ended_by` (docs/engine.md step 6)."""

from __future__ import annotations

import datetime as dt
import textwrap

from socialcredit.engine.incremental import evaluate_subject
from socialcredit.policy.policy_set import PolicySet

from support.engine import Ledger, assess, scheme_of, score
from support.packs import ONE_RULE, PERSON, SCHEME, instant, make_pack, make_policy

# -- effect periods ------------------------------------------------------------------


def test_effect_period_follows_severity_and_the_packs_periods() -> None:
    ledger = Ledger()
    ledger.add("test.offence", "2025-01-01")  # general
    ledger.add("test.minor", "2025-01-01")  # minor
    rules = """
    rules:
      - {id: general, scheme: s, category: test.offence, points: -10}
      - {id: minor, scheme: s, category: test.minor, points: -1}
    """
    default = scheme_of(assess(make_policy(rules), ledger.records, "2025-03-01"))
    assert [c.end for c in default.contributions] == [dt.date(2026, 1, 1), dt.date(2025, 4, 1)]
    custom = make_policy(textwrap.dedent(rules) + "effect_periods: {general: 200, minor: 30}\n")
    result = scheme_of(assess(custom, ledger.records, "2025-01-15"))
    ends = [c.end for c in result.contributions]
    assert ends == [dt.date(2025, 7, 20), dt.date(2025, 1, 31)]


def test_explicit_effect_days_win_over_severity() -> None:
    policy = make_policy(
        "rules:\n  - {id: r, scheme: s, category: test.offence, points: -10, effect_days: 10}"
    )
    ledger = Ledger()
    ledger.add("test.offence", "2026-01-10")
    assert score(policy, ledger.records, "2026-01-19") == 90
    assert score(policy, ledger.records, "2026-01-20") == 100


SECTOR_PACK = """
effect_periods:
  sector_minimum: {food: 365}
"""


def test_a_category_sector_minimum_raises_the_period() -> None:
    rules = "rules:\n  - {id: r, scheme: s, category: test.food, points: -10}\n"
    ledger = Ledger()
    ledger.add("test.food", "2025-06-01")  # minor: 90 days, food: at least 365
    alone = make_policy(rules)
    assert score(alone, ledger.records, "2025-10-01") == 100
    other = make_pack(SECTOR_PACK, name="sector", categories="categories: {}")
    with_floor = PolicySet([make_pack(SCHEME + rules), other])
    assert score(with_floor, ledger.records, "2026-05-31") == 90
    assert score(with_floor, ledger.records, "2026-06-01") == 100


def test_the_largest_sector_minimum_of_all_packs_counts() -> None:
    rules = "rules:\n  - {id: r, scheme: s, category: test.food, points: -10}\n"
    low = make_pack("effect_periods: {sector_minimum: {food: 200}}", name="low", categories="")
    high = make_pack(SECTOR_PACK, name="high", categories="")
    ledger = Ledger()
    ledger.add("test.food", "2025-06-01")
    result = scheme_of(
        evaluate_subject(
            PolicySet([make_pack(SCHEME + rules), low, high]),
            PERSON,
            ledger.records,
            instant("2025-07-01"),
        )
    )
    assert result.contributions[0].end == dt.date(2026, 6, 1)


def test_the_record_sector_attribute_raises_the_period() -> None:
    rules = "rules:\n  - {id: r, scheme: s, category: test.offence, points: -10, effect_days: 30}"
    policy = PolicySet([make_pack(SCHEME + rules), make_pack(SECTOR_PACK, name="x", categories="")])
    ledger = Ledger()
    ledger.add("test.offence", "2025-06-01", {"sector": "food", "case_no": "1"})
    ledger.add("test.offence", "2025-06-01", {"sector": "retail", "case_no": "2"})
    result = scheme_of(assess(policy, ledger.records, "2025-06-15"))
    assert [c.end for c in result.contributions] == [dt.date(2026, 6, 1), dt.date(2025, 7, 1)]
    assert score(policy, ledger.records, "2025-07-01") == 90


def test_nothing_counts_forever_a_record_stops_on_its_end_day_in_china_time() -> None:
    policy = make_policy(
        "rules:\n  - {id: r, scheme: s, category: test.offence, points: -10, effect_days: 365}"
    )
    ledger = Ledger()
    ledger.add("test.offence", "2025-03-01")
    end = dt.date(2026, 3, 1)
    assert scheme_of(assess(policy, ledger.records, "2026-02-28")).contributions[0].end == end
    # 23:59 on 28 February in Beijing still counts; 00:01 on 1 March (16:01 UTC the
    # day before) no longer does
    late = evaluate_subject(policy, PERSON, ledger.records, instant("2026-02-28", 23))
    early = evaluate_subject(policy, PERSON, ledger.records, dt.datetime(2026, 2, 28, 16, 1))
    assert scheme_of(late).score_units == 90 * 10_000
    assert scheme_of(early).score_units == 100 * 10_000
    expired = scheme_of(early).expired
    assert [(e.end, e.reason) for e in expired] == [(end, "period")]


def test_aware_instants_are_converted_to_utc() -> None:
    policy = make_policy(ONE_RULE)
    ledger = Ledger()
    ledger.add("test.offence", "2026-03-01")
    beijing = dt.timezone(dt.timedelta(hours=8))
    a = evaluate_subject(
        policy, PERSON, ledger.records, dt.datetime(2026, 3, 1, 0, 30, tzinfo=beijing)
    )
    assert a.at == dt.datetime(2026, 2, 28, 16, 30)
    assert scheme_of(a).score_units == 90 * 10_000


# -- ended_by ------------------------------------------------------------------------

ENDED = """
rules:
  - {id: r, scheme: s, category: test.offence, points: -10, ended_by: [test.cleared]}
"""


def test_ended_by_ends_the_same_act_only() -> None:
    ledger = Ledger()
    ledger.add("test.offence", "2025-06-01", {"case_no": "A"})
    ledger.add("test.offence", "2025-06-01", {"case_no": "B"})
    ledger.add("test.cleared", "2025-09-01", {"case_no": "A"})
    policy = make_policy(ENDED)
    assert score(policy, ledger.records, "2025-08-31") == 80
    result = scheme_of(assess(policy, ledger.records, "2025-09-01"))
    assert result.score_units == 90 * 10_000
    assert [(e.end, e.reason) for e in result.expired] == [(dt.date(2025, 9, 1), "ended_by")]
    assert [c.act_key for c in result.contributions] == ["B"]


def test_an_ending_record_on_the_same_day_ends_the_match_that_day() -> None:
    ledger = Ledger()
    ledger.add("test.offence", "2025-06-01", {"case_no": "A"})
    ledger.add("test.cleared", "2025-06-01", {"case_no": "A"})
    assert score(make_policy(ENDED), ledger.records, "2025-06-01") == 100


def test_an_ending_record_on_or_after_the_end_day_leaves_the_reason_period() -> None:
    for cleared in ("2024-12-31", "2025-06-01"):  # the end day itself, and later
        ledger = Ledger()
        ledger.add("test.offence", "2024-01-01", {"case_no": "A"})
        ledger.add("test.cleared", cleared, {"case_no": "A"})
        result = scheme_of(assess(make_policy(ENDED), ledger.records, "2025-07-01"))
        assert [(e.end, e.reason) for e in result.expired] == [(dt.date(2024, 12, 31), "period")]


def test_an_ending_record_not_yet_occurred_does_not_end_anything() -> None:
    ledger = Ledger()
    ledger.add("test.offence", "2025-06-01", {"case_no": "A"})
    ledger.add("test.cleared", "2025-09-01", {"case_no": "A"})
    result = scheme_of(assess(make_policy(ENDED), ledger.records, "2025-08-01"))
    assert result.contributions[0].end == dt.date(2026, 6, 1)


def test_an_ending_record_before_the_match_ends_it_at_once() -> None:
    """As written in step 6: the first ending record of the act, whenever it occurred."""
    ledger = Ledger()
    ledger.add("test.cleared", "2025-05-01", {"case_no": "A"})
    ledger.add("test.offence", "2025-06-01", {"case_no": "A"})
    result = scheme_of(assess(make_policy(ENDED), ledger.records, "2025-07-01"))
    assert result.score_units == 100 * 10_000
    assert [(e.end, e.reason) for e in result.expired] == [(dt.date(2025, 5, 1), "ended_by")]
