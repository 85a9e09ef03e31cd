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
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from socialcredit.engine.model import Change, Contribution, Expired, Merged, SchemeAssessment

if TYPE_CHECKING:
    from collections.abc import Iterable

    from socialcredit.engine.incremental import Match


class Grader(Protocol):
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


def _order(m: Match) -> tuple[object, ...]:
    return (m.record.occurred_at, m.record.seq, m.rule.order, m.via or "")
