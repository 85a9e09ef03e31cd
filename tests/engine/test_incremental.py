"""The incremental engine, rule feature by rule feature (docs/engine.md steps 1-13).

Each test builds a small pack of its own: the test catalogue of ``support/packs.py``
and a ``scoring.yaml`` text, loaded by the real pack loader; ``support/engine.py``
builds the records and assesses them.
"""

from __future__ import annotations

import datetime as dt

import pytest

from support.engine import Ledger, assess, scheme_of, score
from support.packs import (
    ONE_RULE,
    make_policy,
)

# -- the basics ----------------------------------------------------------------------


def test_no_records_scores_the_base_in_every_domain() -> None:
    result = scheme_of(assess(make_policy(ONE_RULE), []))
    assert result.status == "scored"
    assert result.score_units == 100 * 10_000
    assert result.domain_units == {"government": 0, "commercial": 0, "social": 0, "judicial": 0}
    assert result.grade == "A"
    assert (result.pack, result.version) == ("test", "1")


def test_a_matching_record_counts_in_its_domain() -> None:
    ledger = Ledger()
    ledger.add("test.offence", "2026-01-10", {"case_no": "1"})
    result = scheme_of(assess(make_policy(ONE_RULE), ledger.records))
    assert result.score_units == 90 * 10_000
    assert result.domain_units["social"] == -10 * 10_000
    assert result.grade == "A"


def test_the_rule_domain_overrides_the_category_domain() -> None:
    policy = make_policy(
        "rules:\n  - {id: r, scheme: s, category: test.offence, points: -10, domain: government}"
    )
    ledger = Ledger()
    ledger.add("test.offence", "2026-01-10")
    assert scheme_of(assess(policy, ledger.records)).domain_units["government"] == -100_000


# -- conditions ----------------------------------------------------------------------

ATTRS = {"amount": 500.5, "count": 3, "level": "high", "flag": True}


@pytest.mark.parametrize(
    ("when", "matches"),
    [
        ("{attr: level, eq: high}", True),
        ("{attr: level, eq: low}", False),
        ("{attr: flag, eq: true}", True),
        ("{attr: level, ne: low}", True),
        ("{attr: level, ne: high}", False),
        ("{attr: amount, lt: 500.5}", False),
        ("{attr: amount, lt: 501}", True),
        ("{attr: amount, lte: 500.5}", True),
        ("{attr: count, gt: 3}", False),
        ("{attr: count, gt: 2}", True),
        ("{attr: count, gte: 3}", True),
        ("{attr: count, gte: 4}", False),
        ("{attr: level, in: [low, high]}", True),
        ("{attr: level, in: [low]}", False),
        ("{attr: amount, exists: true}", True),
        ("{attr: sector, exists: true}", False),
        ("{attr: sector, exists: false}", True),
        ("{all: [{attr: level, eq: high}, {attr: count, gte: 3}]}", True),
        ("{all: [{attr: level, eq: high}, {attr: count, gte: 4}]}", False),
        ("{any: [{attr: level, eq: low}, {attr: count, gte: 3}]}", True),
        ("{any: [{attr: level, eq: low}, {attr: count, gte: 4}]}", False),
        ("{not: {attr: level, eq: low}}", True),
        ("{not: {attr: level, eq: high}}", False),
        # a comparison on a missing attribute is false, whatever the comparator
        ("{attr: sector, eq: food}", False),
        ("{attr: sector, ne: food}", False),
        ("{attr: sector, lt: zzz}", False),
        ("{attr: sector, in: [food]}", False),
        # ... so its negation is true (two-valued logic)
        ("{not: {attr: sector, eq: food}}", True),
        # a comparison across types is false, not an error
        ("{attr: level, gt: 3}", False),
    ],
)
def test_conditions(when: str, matches: bool) -> None:
    policy = make_policy(
        f"rules:\n  - {{id: r, scheme: s, category: test.offence, points: -10, when: {when}}}"
    )
    ledger = Ledger()
    ledger.add("test.offence", "2026-01-10", dict(ATTRS))
    assert score(policy, ledger.records) == (90 if matches else 100)


def test_per_multiplies_the_points_by_a_numeric_attribute() -> None:
    policy = make_policy(
        "rules:\n  - {id: r, scheme: s, category: test.offence, points: -1.5, per: amount}"
    )
    ledger = Ledger()
    ledger.add("test.offence", "2026-01-10", {"amount": 4})
    ledger.add("test.offence", "2026-01-11", {"amount": 0.25})
    ledger.add("test.offence", "2026-01-12", {})  # missing: no match
    ledger.add("test.offence", "2026-01-13", {"amount": "4"})  # not a number: no match
    ledger.add("test.offence", "2026-01-14", {"amount": True})  # a boolean is not a number
    result = scheme_of(assess(policy, ledger.records))
    assert result.score_units == (100 - 6 - 0.375) * 10_000
    assert [c.points for c in result.contributions] == [-6.0, -0.375]


# -- one act counts once -------------------------------------------------------------

ONE_ACT = """
rules:
  - {id: small, scheme: s, category: test.offence, points: -10}
  - {id: large, scheme: s, category: test.related, points: -30}
  - {id: also_large, scheme: s, category: test.offence, points: -30, when: {attr: flag, eq: true}}
"""


def test_one_act_counts_once_at_its_largest_across_categories() -> None:
    ledger = Ledger()
    small = ledger.add("test.offence", "2025-06-01", {"case_no": "X"})
    large = ledger.add("test.related", "2025-07-01", {"case_no": "X"})
    result = scheme_of(assess(make_policy(ONE_ACT), ledger.records))
    assert result.score_units == 70 * 10_000
    assert [(c.record_id, c.rule_id, c.domain) for c in result.contributions] == [
        (large.id, "large", "judicial")
    ]
    assert [(m.record_id, m.rule_id, m.act_key, m.into) for m in result.merged] == [
        (small.id, "small", "X", large.id)
    ]


def test_ties_go_to_the_earliest_then_lowest_seq_then_first_rule() -> None:
    policy = make_policy(ONE_ACT)
    ledger = Ledger()
    later = ledger.add("test.related", "2025-07-01", {"case_no": "X"})
    earlier = ledger.add("test.offence", "2025-06-01", {"case_no": "X", "flag": True})
    result = scheme_of(assess(policy, ledger.records))
    assert [(c.record_id, c.rule_id) for c in result.contributions] == [(earlier.id, "also_large")]
    merged = {(m.record_id, m.rule_id) for m in result.merged}
    assert merged == {(earlier.id, "small"), (later.id, "large")}

    same_day = Ledger()
    first = same_day.add("test.related", "2025-06-01", {"case_no": "X"})
    same_day.add("test.offence", "2025-06-01", {"case_no": "X", "flag": True})
    result = scheme_of(assess(policy, same_day.records))
    assert [(c.record_id, c.rule_id) for c in result.contributions] == [(first.id, "large")]

    rules = """
    rules:
      - {id: first, scheme: s, category: test.offence, points: -10, domain: commercial}
      - {id: second, scheme: s, category: test.offence, points: 10}
    """
    one = Ledger()
    one.add("test.offence", "2025-06-01")
    result = scheme_of(assess(make_policy(rules), one.records))
    assert [c.rule_id for c in result.contributions] == ["first"]
    assert result.domain_units["commercial"] == -100_000


def test_records_without_a_case_key_are_each_their_own_act() -> None:
    ledger = Ledger()
    ledger.add("test.minor", "2026-02-01")
    ledger.add("test.minor", "2026-02-01")
    policy = make_policy("rules:\n  - {id: r, scheme: s, category: test.minor, points: -1}")
    assert score(policy, ledger.records) == 98


def test_a_numeric_case_key_is_compared_as_its_json_text() -> None:
    ledger = Ledger()
    ledger.add("test.offence", "2026-02-01", {"case_no": 7})
    ledger.add("test.related", "2026-02-01", {"case_no": "7"})
    result = scheme_of(assess(make_policy(ONE_ACT), ledger.records))
    assert [c.act_key for c in result.contributions] == ["7"]
    assert len(result.merged) == 1


def test_an_expired_representative_still_absorbs_its_act() -> None:
    rules = """
    rules:
      - {id: big, scheme: s, category: test.related, points: -30, effect_days: 10}
      - {id: small, scheme: s, category: test.offence, points: -10}
    """
    ledger = Ledger()
    ledger.add("test.related", "2026-01-01", {"case_no": "X"})
    ledger.add("test.offence", "2026-01-01", {"case_no": "X"})
    result = scheme_of(assess(make_policy(rules), ledger.records))
    assert result.score_units == 100 * 10_000
    assert [e.rule_id for e in result.expired] == ["big"]
    assert [m.rule_id for m in result.merged] == ["small"]


# -- repeats and decay ----------------------------------------------------------------

REPEAT = """
rules:
  - {id: r, scheme: s, category: test.minor, points: -10, effect_days: 100,
     repeat: {multiplier: 2}}
"""


def test_repeats_escalate_within_the_period_without_compounding() -> None:
    ledger = Ledger()
    ledger.add("test.minor", "2026-01-01")
    ledger.add("test.minor", "2026-02-01")  # within 100 days of the first: x2
    ledger.add("test.minor", "2026-02-15")  # within 100 days of the second: x2, not x4
    result = scheme_of(assess(make_policy(REPEAT), ledger.records))
    assert [c.repeat for c in result.contributions] == [1.0, 2.0, 2.0]
    assert result.score_units == (100 - 10 - 20 - 20) * 10_000


def test_a_repeat_after_the_previous_period_does_not_escalate() -> None:
    ledger = Ledger()
    ledger.add("test.minor", "2026-01-01")
    ledger.add("test.minor", "2026-04-11")  # 1 January + 100 days: the period is over
    ledger.add("test.minor", "2026-07-19")  # 99 days later: escalates
    result = scheme_of(assess(make_policy(REPEAT), ledger.records, "2026-07-19"))
    assert [c.repeat for c in result.contributions] == [1.0, 2.0]
    assert [e.occurred_at for e in result.expired] == [dt.date(2026, 1, 1)]
    first_two = scheme_of(assess(make_policy(REPEAT), ledger.records[:2], "2026-04-12"))
    assert [c.repeat for c in first_two.contributions] == [1.0]


def test_decay_halves_the_weight_every_half_life() -> None:
    policy = make_policy(
        """
        rules:
          - {id: r, scheme: s, category: test.offence, points: -10,
             decay: {half_life_days: 30}}
        """
    )
    ledger = Ledger()
    ledger.add("test.offence", "2026-01-01")
    assert score(policy, ledger.records, "2026-01-01") == 90
    result = scheme_of(assess(policy, ledger.records, "2026-01-31"))
    assert result.contributions[0].weight == 0.5
    assert result.score_units == 95 * 10_000
    assert score(policy, ledger.records, "2026-03-02") == 97.5
    ten = scheme_of(assess(policy, ledger.records, "2026-01-11"))
    assert ten.contributions[0].units == -round(10 * 0.5 ** (10 / 30) * 10_000)


def test_contributions_round_half_away_from_zero_to_4_places() -> None:
    policy = make_policy(
        "rules:\n  - {id: r, scheme: s, category: test.offence, points: -1, per: amount}"
    )
    ledger = Ledger()
    ledger.add("test.offence", "2026-01-01", {"amount": 0.00025, "case_no": "1"})
    ledger.add("test.offence", "2026-01-01", {"amount": 2.00005, "case_no": "2"})
    ledger.add("test.offence", "2026-01-01", {"amount": 1.00004, "case_no": "3"})
    result = scheme_of(assess(policy, ledger.records))
    assert [c.units for c in result.contributions] == [-3, -20_001, -10_000]
    assert result.score_units == 100 * 10_000 - 30_004


def test_explain_false_gives_the_same_scores_without_lists() -> None:
    ended = (
        "  - {id: e, scheme: s, category: test.offence, points: -10, ended_by: [test.cleared]}\n"
    )
    policy = make_policy(ONE_ACT + ended + "\n")
    ledger = Ledger()
    ledger.add("test.offence", "2026-01-01", {"case_no": "X"})
    ledger.add("test.related", "2026-01-02", {"case_no": "X"})
    ledger.add("test.offence", "2025-01-01", {"case_no": "Y"})
    full = assess(policy, ledger.records)
    fast = assess(policy, ledger.records, explain=False)
    assert [s.key() for s in fast.schemes.values()] == [s.key() for s in full.schemes.values()]
    assert full.schemes["s"].contributions and full.schemes["s"].merged
    assert full.schemes["s"].expired
    fast_s = fast.schemes["s"]
    assert (fast_s.contributions, fast_s.merged, fast_s.expired) == ((), (), ())
