"""The way to a better grade, against its definition worked out by brute force.

``better_grade`` finds in one pass what the definition in ``engine/model.py``
(``BetterGrade``) says: the first day time alone lifts the grade, and the fewest
contributions whose early end lifts it today. Here both are found the slow way,
over every end day and every set of contributions, for random small assessments.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from socialcredit.engine.explain import better_grade
from socialcredit.engine.model import Contribution, Lift
from socialcredit.engine.plan import SchemePlan, plan_for

from support.engine import Ledger, assess, scheme_of
from support.packs import make_policy

POLICY = make_policy("rules:\n  - {id: r, scheme: s, category: test.offence, points: -1}\n")
SCHEME: SchemePlan = next(s for s in plan_for(POLICY).schemes if s.name == "s")  # A B C D
TODAY = dt.date(2026, 3, 1)

Pair = tuple[Contribution, str | None]

contribution = st.tuples(
    st.integers(-60, 15).map(lambda points: points * 10_000) | st.sampled_from([0, -1, 1]),
    st.integers(1, 12),  # days until it ends: often several on one day
    st.sampled_from([None, None, None, "A", "B", "C", "D", "Z"]),  # Z: no such grade
)


def _pairs(drawn: Sequence[tuple[int, int, str | None]]) -> list[Pair]:
    return [
        (
            Contribution(
                record_id=f"rec{i % 3}",  # ids repeat: ties are broken by the rule
                seq=i,
                rule_id=f"rule{i}",
                category="test.offence",
                domain="social",
                act_key=str(i),
                occurred_at=TODAY,
                end=TODAY + dt.timedelta(days=days),
                points=units / 10_000,
                repeat=1.0,
                weight=1.0,
                units=units,
            ),
            cap,
        )
        for i, (units, days, cap) in enumerate(drawn)
    ]


def _grade_without(score: int, pairs: list[Pair], gone: set[int]) -> tuple[str, int]:
    left = score - sum(c.units for i, (c, _) in enumerate(pairs) if i in gone)
    caps = [cap for i, (_, cap) in enumerate(pairs) if i not in gone and cap is not None]
    return SCHEME.grade(left, caps), left


def _by_itself(score: int, pairs: list[Pair], rank: int) -> tuple[dt.date, str, int] | None:
    for day in sorted({c.end for c, _ in pairs}):
        gone = {i for i, (c, _) in enumerate(pairs) if c.end <= day}
        grade, left = _grade_without(score, pairs, gone)
        if SCHEME.rank[grade] < rank:
            return day, grade, left
    return None


def _lift(pair: Pair) -> Lift:
    c, cap = pair
    return Lift(c.record_id, c.rule_id, c.end, c.units, cap)


@settings(max_examples=300, deadline=None)
@given(st.lists(contribution, max_size=7))
def test_the_way_up_is_the_first_day_and_the_fewest_contributions(
    drawn: list[tuple[int, int, str | None]],
) -> None:
    pairs = _pairs(drawn)
    score = SCHEME.base_units + sum(c.units for c, _ in pairs)
    grade = SCHEME.grade(score, [cap for _, cap in pairs if cap is not None])
    rank = SCHEME.rank[grade]
    better = better_grade(score, grade, SCHEME, pairs)
    if rank == 0:
        assert better is None  # nothing above the best grade
        return
    assert better is not None
    assert better.grade == SCHEME.grades[rank - 1]

    # by itself: the first end day after which the grade is better
    first = _by_itself(score, pairs, rank)
    if first is None:
        assert (better.on, better.grade_on, better.score_on_units, better.ending) == (
            None, None, None, ()
        )  # fmt: skip
    else:
        day, grade_then, score_then = first
        assert (better.on, better.grade_on, better.score_on_units) == (day, grade_then, score_then)
        ending = [p for p in pairs if p[0].end <= day and (p[0].units < 0 or p[1] is not None)]
        ending.sort(key=lambda p: (p[0].end, p[0].record_id, p[0].rule_id))
        assert better.ending == tuple(_lift(p) for p in ending)

    # sooner: the fewest contributions whose end lifts the grade today
    def lifts_today(gone: set[int]) -> bool:
        return SCHEME.rank[_grade_without(score, pairs, gone)[0]] < rank

    fewest = next(
        (
            size
            for size in range(len(pairs) + 1)
            if any(lifts_today(set(s)) for s in itertools.combinations(range(len(pairs)), size))
        ),
        None,
    )
    if fewest is None:
        assert (better.sooner, better.score_sooner_units) == ((), None)
        return
    assert len(better.sooner) == fewest
    chosen = {pairs.index(p) for p in pairs if _lift(p) in better.sooner}
    assert {_lift(pairs[i]) for i in chosen} == set(better.sooner)
    assert lifts_today(chosen)
    assert better.score_sooner_units == score - sum(x.units for x in better.sooner)
    # the capping ones first, then the deductions, the largest first
    caps_first = [x.cap is not None and SCHEME.rank.get(x.cap, -1) >= rank for x in better.sooner]
    assert caps_first == sorted(caps_first, reverse=True)
    deductions = [x.units for x, held in zip(better.sooner, caps_first, strict=True) if not held]
    assert deductions == sorted(deductions) and all(u < 0 for u in deductions)


def test_merged_matches_are_listed_in_the_order_they_happened() -> None:
    rules = """
    rules:
      - {id: offence, scheme: s, category: test.offence, points: -2}
      - {id: related, scheme: s, category: test.related, points: -2}
    """
    ledger = Ledger()
    ledger.add("test.offence", "2026-01-01", {"case_no": "X"})  # represents case X
    ledger.add("test.offence", "2026-01-05", {"case_no": "Y"})  # represents case Y
    late = ledger.add("test.related", "2026-02-10", {"case_no": "X"})
    early = ledger.add("test.related", "2026-02-01", {"case_no": "Y"})
    result = scheme_of(assess(make_policy(rules), ledger.records))
    assert [(m.record_id, m.act_key) for m in result.merged] == [(early.id, "Y"), (late.id, "X")]
