"""Explaining a scheme assessment: every point's record and rule, and what would change it.

Safeguard 4 of DESIGN.md: the contributions name the record, the rule, the
base points, the repeat multiplier, the decay weight, the exact contribution
and the day it stops counting; merged matches name the representative they
were merged into; expired representatives name their end day and why
(``period``, ``ended_by``, ``repaired``, or ``suspended`` with the day the
suspension began: docs/remedies.md).

``what_would_change`` lists, for each active contribution whose removal
alone changes the grade, the day it stops counting and the score and grade
the subject would then have, all else equal: every other contribution keeps
its value of today (decay included) and every other ``grade_cap`` still
applies. Decaying contributions are listed like the others (their removal is
exact; only the other decaying contributions' values are held at today's).
Entries are sorted by day, then record id and rule id.

``better`` is the way to the next better grade, when there is one: the day it
comes by itself (contributions ending one after another, all else as today)
and the fewest contributions whose early end would reach it today (those
whose ``grade_cap`` holds the grade down first, then the largest deductions):
so a subject for whom no single record changes the grade still sees what
would.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from socialcredit.engine.model import (
    BetterGrade,
    Change,
    Contribution,
    Expired,
    Lift,
    Merged,
    SchemeAssessment,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

    from socialcredit.engine.incremental import Match


class Grader(Protocol):
    @property
    def grades(self) -> tuple[str, ...]: ...  # best first

    @property
    def rank(self) -> dict[str, int]: ...

    def grade(self, score_units: int, caps: Iterable[str] = ()) -> str: ...


def explain(
    result: SchemeAssessment,
    scheme: Grader,
    active: Sequence[Match],
    merged: Sequence[tuple[Match, Match]],
    expired: Sequence[Match],
) -> SchemeAssessment:
    """``result`` with its explanation lists filled in."""
    ordered = sorted(active, key=_order)
    contributions = tuple(contribution(m) for m in ordered)
    assert result.score_units is not None and result.grade is not None
    changes = what_would_change(
        result.score_units,
        result.grade,
        scheme,
        [(c, m.rule.cap) for c, m in zip(contributions, ordered, strict=True)],
    )
    return dataclasses.replace(
        result,
        contributions=contributions,
        merged=tuple(
            Merged(m.record.id, m.rule.id, m.act_key, rep.record.id)
            for m, rep in sorted(merged, key=lambda pair: _order(pair[0]))
        ),
        expired=tuple(
            Expired(
                m.record.id,
                m.rule.id,
                m.record.category,
                m.record.occurred_at,
                m.end,
                m.reason or ("ended_by" if m.ended_by else "period"),
            )
            for m in sorted(expired, key=_order)
        ),
        what_would_change=changes,
        better=better_grade(
            result.score_units,
            result.grade,
            scheme,
            [(c, m.rule.cap) for c, m in zip(contributions, ordered, strict=True)],
        ),
    )


def contribution(m: Match) -> Contribution:
    return Contribution(
        record_id=m.record.id,
        seq=m.record.seq,
        rule_id=m.rule.id,
        category=m.record.category,
        domain=m.rule.domain,
        act_key=m.act_key,
        occurred_at=m.record.occurred_at,
        end=m.end,
        points=m.points,
        repeat=m.multiplier,
        weight=m.weight,
        units=m.units,
        via=m.via,
    )


def what_would_change(
    score_units: int,
    grade: str,
    scheme: Grader,
    contributions: Sequence[tuple[Contribution, str | None]],
) -> tuple[Change, ...]:
    """The grade once each contribution ends, all else equal; only grade changes.

    ``contributions`` pairs each active contribution with its rule's
    ``grade_cap`` (or None).
    """
    caps = [cap for _, cap in contributions if cap is not None]
    changes: list[Change] = []
    for c, cap in contributions:
        others = caps
        if cap is not None:
            others = list(caps)
            others.remove(cap)
        after = score_units - c.units
        grade_after = scheme.grade(after, others)
        if grade_after != grade:
            changes.append(Change(c.record_id, c.rule_id, c.end, after, grade_after))
    changes.sort(key=lambda ch: (ch.on, ch.record_id, ch.rule_id))
    return tuple(changes)


def better_grade(
    score_units: int,
    grade: str,
    scheme: Grader,
    contributions: Sequence[tuple[Contribution, str | None]],
) -> BetterGrade | None:
    """The way to the grade above ``grade`` (see the module docstring); None at the top.
    One pass over the contributions by end day, and one over the deductions."""
    rank = scheme.rank[grade]
    if rank == 0:
        return None
    lifts = sorted(
        (Lift(c.record_id, c.rule_id, c.end, c.units, cap) for c, cap in contributions),
        key=lambda x: (x.end, x.record_id, x.rule_id),
    )
    caps = Counter(x.cap for x in lifts if x.cap is not None)
    on: dt.date | None = None
    grade_on: str | None = None
    score_on: int | None = None
    score, i = score_units, 0
    while i < len(lifts):
        day = lifts[i].end
        while i < len(lifts) and lifts[i].end == day:  # everything ending that day
            score -= lifts[i].units
            cap = lifts[i].cap
            if cap is not None:
                caps[cap] -= 1
            i += 1
        after = scheme.grade(score, [c for c, n in caps.items() if n > 0])
        if scheme.rank[after] < rank:
            on, grade_on, score_on = day, after, score
            break
    ending = tuple(x for x in lifts[:i] if x.units < 0 or x.cap is not None) if on else ()
    sooner, score_sooner = _sooner(score_units, rank, scheme, lifts)
    return BetterGrade(
        scheme.grades[rank - 1], on, grade_on, score_on, ending, sooner, score_sooner
    )


def _sooner(
    score_units: int, rank: int, scheme: Grader, lifts: list[Lift]
) -> tuple[tuple[Lift, ...], int | None]:
    """The fewest contributions whose end lifts the grade above ``rank`` today: every
    cap at or below the current grade, then the largest deductions."""
    holding = [x for x in lifts if x.cap is not None and scheme.rank.get(x.cap, 0) >= rank]
    others = [x for x in lifts if not (x.cap is not None and scheme.rank.get(x.cap, 0) >= rank)]
    left_caps = [x.cap for x in others if x.cap is not None]
    deductions = sorted((x for x in others if x.units < 0), key=lambda x: (x.units, x.end))
    score = score_units - sum(x.units for x in holding)
    chosen = list(holding)
    for x in [None, *deductions]:
        if x is not None:
            chosen.append(x)
            score -= x.units
        if scheme.rank[scheme.grade(score, left_caps)] < rank:
            return tuple(chosen), score
    return (), None


def _order(m: Match) -> tuple[object, ...]:
    return (m.record.occurred_at, m.record.seq, m.rule.order, m.via or "")
