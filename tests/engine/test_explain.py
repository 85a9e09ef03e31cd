"""The explanation of an assessment: what counts, merged, expired and what would change."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from socialcredit.engine.model import Change

from support.engine import Ledger, assess, scheme_of
from support.packs import make_policy

RULES = """
rules:
  - {id: offence, scheme: s, category: test.offence, points: -2, per: amount, effect_days: 100,
     ended_by: [test.cleared], repeat: {multiplier: 1.5}}
  - {id: related, scheme: s, category: test.related, points: -1}
  - {id: minor, scheme: s, category: test.minor, points: -4, decay: {half_life_days: 10}}
  - {id: food, scheme: s, category: test.food, points: -1, effect_days: 20, grade_cap: C}
  - {id: reward, scheme: s, category: test.reward, points: 3, effect_days: 40}
"""


def test_contributions_name_record_rule_points_repeat_weight_and_end() -> None:
    ledger = Ledger()
    first = ledger.add("test.offence", "2026-01-01", {"case_no": "A", "amount": 2})
    second = ledger.add("test.offence", "2026-02-01", {"case_no": "B", "amount": 3})
    merged = ledger.add("test.related", "2026-02-02", {"case_no": "B"})
    minor = ledger.add("test.minor", "2026-02-19")
    result = scheme_of(assess(make_policy(RULES), ledger.records))
    got = [
        (c.record_id, c.seq, c.rule_id, c.category, c.domain, c.act_key, c.occurred_at, c.end)
        for c in result.contributions
    ]
    assert got == [
        (first.id, 1, "offence", "test.offence", "social", "A", first.occurred_at,
         dt.date(2026, 4, 11)),
        (second.id, 2, "offence", "test.offence", "social", "B", second.occurred_at,
         dt.date(2026, 5, 12)),
        (minor.id, 4, "minor", "test.minor", "commercial", minor.id, minor.occurred_at,
         dt.date(2026, 5, 20)),
    ]  # fmt: skip
    assert [(c.points, c.repeat, c.weight, c.units) for c in result.contributions] == [
        (-4.0, 1.0, 1.0, -40_000),
        (-6.0, 1.5, 1.0, -90_000),
        (-4.0, 1.0, 0.5, -20_000),
    ]
    assert result.contributions[1].value == Decimal("-9.0000")
    assert result.score == Decimal("85.0000")
    assert [(m.record_id, m.rule_id, m.act_key, m.into) for m in result.merged] == [
        (merged.id, "related", "B", second.id)
    ]


def test_expired_representatives_name_their_end_and_reason() -> None:
    ledger = Ledger()
    old = ledger.add("test.offence", "2025-01-01", {"case_no": "A", "amount": 1})
    cleared = ledger.add("test.offence", "2026-01-01", {"case_no": "B", "amount": 1})
    ledger.add("test.cleared", "2026-02-01", {"case_no": "B"})
    result = scheme_of(assess(make_policy(RULES), ledger.records))
    assert result.contributions == ()
    assert [(e.record_id, e.rule_id, e.category, e.occurred_at, e.end, e.reason)
            for e in result.expired] == [
        (old.id, "offence", "test.offence", old.occurred_at, dt.date(2025, 4, 11), "period"),
        (cleared.id, "offence", "test.offence", cleared.occurred_at, dt.date(2026, 2, 1),
         "ended_by"),
    ]  # fmt: skip


def test_what_would_change_lists_the_contributions_whose_end_changes_the_grade() -> None:
    ledger = Ledger()
    big = ledger.add("test.offence", "2026-01-01", {"case_no": "A", "amount": 8})  # -16
    ledger.add("test.related", "2026-02-01")  # -1: alone it changes nothing
    reward = ledger.add("test.reward", "2026-02-15")  # +3
    result = scheme_of(assess(make_policy(RULES), ledger.records))
    assert (result.score_units, result.grade) == (86 * 10_000, "B")
    # without the reward (83) or the related record (87) it is still B
    assert reward.id not in {c.record_id for c in result.what_would_change}
    assert result.what_would_change == (
        Change(big.id, "offence", dt.date(2026, 4, 11), 102 * 10_000, "A"),
    )
    # a reward ending can lower the grade too
    edge = Ledger()
    edge.add("test.related", "2026-02-01")  # 99
    lift = edge.add("test.reward", "2026-02-15")  # 102
    edge.add("test.offence", "2026-01-01", {"case_no": "A", "amount": 6})  # 90: A on the edge
    result = scheme_of(assess(make_policy(RULES), edge.records))
    assert result.grade == "A"
    assert [(c.record_id, c.on, c.score_after_units, c.grade_after)
            for c in result.what_would_change] == [
        (lift.id, dt.date(2026, 3, 27), 87 * 10_000, "B")
    ]  # fmt: skip


def test_what_would_change_respects_the_other_caps() -> None:
    ledger = Ledger()
    first_cap = ledger.add("test.food", "2026-02-20")  # cap C until 12 March
    ledger.add("test.food", "2026-02-25")  # cap C until 17 March
    result = scheme_of(assess(make_policy(RULES), ledger.records))
    assert result.grade == "C"
    # either cap ending leaves the other: nothing changes the grade alone
    assert result.what_would_change == ()
    one = scheme_of(assess(make_policy(RULES), ledger.records[:1]))
    assert [(c.record_id, c.on, c.grade_after) for c in one.what_would_change] == [
        (first_cap.id, dt.date(2026, 3, 12), "A")
    ]
    # a cap that stays keeps the grade whatever else ends
    sorted_ledger = Ledger()
    late_end = sorted_ledger.add("test.offence", "2026-02-01", {"case_no": "A", "amount": 10})
    early_end = sorted_ledger.add("test.food", "2026-02-25")
    both = scheme_of(assess(make_policy(RULES), sorted_ledger.records))
    assert both.grade == "C"
    assert [c.record_id for c in both.what_would_change] == [early_end.id]
    assert both.what_would_change[0].grade_after == "B"
    assert late_end.id not in {c.record_id for c in both.what_would_change}


def test_decaying_contributions_are_listed_like_the_others() -> None:
    ledger = Ledger()
    ledger.add("test.minor", "2026-03-01")  # -4 today
    ledger.add("test.offence", "2026-02-01", {"case_no": "A", "amount": 3})  # -6
    result = scheme_of(assess(make_policy(RULES), ledger.records))
    assert (result.score_units, result.grade) == (90 * 10_000, "A")
    assert result.what_would_change == ()
    worse = Ledger()
    minor = worse.add("test.minor", "2026-03-01")  # -4 today, ends 30 May
    offence = worse.add("test.offence", "2026-02-01", {"case_no": "A", "amount": 3.5})  # -7
    result = scheme_of(assess(make_policy(RULES), worse.records))
    assert (result.score_units, result.grade) == (89 * 10_000, "B")
    # sorted by day: the offence (ends 12 May) before the decaying minor record
    assert [(c.record_id, c.on, c.score_after_units, c.grade_after)
            for c in result.what_would_change] == [
        (offence.id, dt.date(2026, 5, 12), 96 * 10_000, "A"),
        (minor.id, dt.date(2026, 5, 30), 93 * 10_000, "A"),
    ]  # fmt: skip


def test_the_way_to_a_better_grade_when_no_single_record_changes_it() -> None:
    ledger = Ledger()
    first = ledger.add("test.food", "2026-02-20")  # cap C until 12 March
    second = ledger.add("test.food", "2026-02-25")  # cap C until 17 March
    result = scheme_of(assess(make_policy(RULES), ledger.records))
    assert result.grade == "C" and result.what_would_change == ()
    better = result.better
    assert better is not None and better.grade == "B"
    # by itself: once both caps have ended
    assert (better.on, better.grade_on) == (dt.date(2026, 3, 17), "A")
    assert [x.record_id for x in better.ending] == [first.id, second.id]
    # sooner: both capping records would have to end early
    assert [x.record_id for x in better.sooner] == [first.id, second.id]
    assert all(x.cap == "C" for x in better.sooner)


def test_no_way_up_from_the_best_grade() -> None:
    ledger = Ledger()
    ledger.add("test.reward", "2026-02-20")
    assert scheme_of(assess(make_policy(RULES), ledger.records)).better is None
