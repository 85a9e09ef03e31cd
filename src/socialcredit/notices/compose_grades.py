"""What a grade notice says: a grade fell into the two lowest bands, or rose to the top.

It names the score and every contribution (record, rule, points, end day),
what would change the grade, the legal bases of the scheme and the rules,
how to object to a contributing record and how each could be repaired.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from socialcredit.enforcement.paths import REPAIR_COMMAND, REPAIR_ENDPOINT
from socialcredit.engine.model import Contribution, SchemeAssessment, units_to_decimal
from socialcredit.notices.compose import Context, objection, requires_text
from socialcredit.notices.model import Deadline, NoticeBody, NoticeKind, Repair
from socialcredit.policy.policy_set import SchemeInfo
from socialcredit.remedies.terms import record_repair


def grade_body(
    kind: NoticeKind,
    subject: str,
    scheme: SchemeInfo,
    grade: str,
    previous: str | None,
    assessment: SchemeAssessment | None,
    effective_on: dt.date,
    ctx: Context,
    *,
    role: str | None = None,
) -> NoticeBody:
    """A notice that a grade fell into the two lowest bands, or rose into the top band."""
    area = ctx.area_of(subject)
    s = scheme.scheme
    low = kind == "grade_low"
    was = f" (was {previous})" if previous else ""
    what = f"{subject} holds grade {grade} in the {s.title} from {effective_on.isoformat()}{was}."
    if role is not None:
        what += f" You receive this notice as {role.replace('_', ' ')} of {subject}."
    contributions = assessment.contributions if assessment is not None else ()
    refs = tuple(ctx.records[c.record_id] for c in contributions if c.record_id in ctx.records)
    rules_by_id = {r.id: r for r in ctx.policy.rules}
    rules = tuple(
        f"{c.rule_id}: record {c.record_id} ({c.category}) counts "
        f"{units_to_decimal(c.units)} points until {c.end.isoformat()}"
        for c in contributions
    )
    bases = [
        s.basis_text,
        *(
            rules_by_id[c.rule_id].rule.basis_text
            for c in contributions
            if c.rule_id in rules_by_id
        ),
    ]
    score = assessment.score if assessment is not None else None
    why = f"The score is {score} under the {s.title}." if score is not None else ""
    if assessment is not None and assessment.what_would_change:
        why += (
            " What would change the grade: "
            + "; ".join(
                f"on {c.on.isoformat()} record {c.record_id} stops counting (grade {c.grade_after})"
                for c in assessment.what_would_change
            )
            + "."
        )
    repair = _grade_repair(ctx, contributions, area) if low else None
    return NoticeBody(
        kind=kind,
        adverse=low,
        title=f"Grade {grade} in the {s.title}{was}",
        what=what,
        scheme=scheme.name,
        grade=grade,
        previous_grade=previous,
        role=role,
        why=why.strip() or f"The grade follows the bands of the {s.title}.",
        records=refs,
        rules=rules,
        legal_basis=tuple(b for b in dict.fromkeys(bases) if b),
        effective_on=effective_on,
        objection=objection(ctx.policy, area, [r.id for r in refs], ctx.today, None),
        repair=repair,
        deadlines=tuple(
            Deadline(what=f"record {c.record_id} stops counting", date=c.on)
            for c in (assessment.what_would_change if assessment is not None and low else ())
        ),
    )


def _grade_repair(ctx: Context, contributions: Iterable[Contribution], area: str | None) -> Repair:
    """Repair for a low grade: each deducting record's own terms."""
    lines = []
    earliest: dt.date | None = None
    longest = 0
    for c in contributions:
        if c.units >= 0:
            continue
        terms = record_repair(ctx.policy, area, c.category)
        if terms.repairable:
            day = c.occurred_at + dt.timedelta(days=terms.min_days)
            earliest = day if earliest is None else min(earliest, day)
            longest = max(longest, terms.min_days)
            lines.append(f"record {c.record_id}: from {day.isoformat()}{requires_text(terms)}")
        else:
            lines.append(f"record {c.record_id}: no credit repair ({terms.reason or 'see pack'})")
    text = (
        "Each record stops counting at the end of its effect period, or earlier when the act is "
        f"ended (e.g. the obligation is met). Credit repair (`{REPAIR_COMMAND}` or "
        f"{REPAIR_ENDPOINT}): " + ("; ".join(lines) or "nothing to repair") + "."
    )
    return Repair(text=text, minimum_days=longest, eligible_from=earliest)
