"""The outcomes monitored, read from the store per scheme: who is at risk of each and
who met it.

The population of a scheme is the persons its latest evaluation assessed (the
``assessments`` rows, out-of-scope ones left out). Per scheme:

* ``listing`` -- on a black list on the day (an entry not yet ended: in effect, or
  decided and in its notice period);
* ``low_grade`` -- one of the scheme's two lowest grades (of those graded);
* ``denied_check`` -- a check about the person denied in the last 365 days (the
  decision log keeps every denial);
* ``objection_upheld`` -- of the persons whose objection was decided, those whose
  objection failed (the record upheld).

Only persons count: the groups are read from resident identity numbers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, and_, select

from socialcredit.dashboards.sql import json_text
from socialcredit.policy.policy_set import PolicySet
from socialcredit.remedies import steps as s
from socialcredit.store.tables import assessments, decision_log, list_entries, records, subjects

OUTCOMES = ("listing", "low_grade", "denied_check", "objection_upheld")
TITLES = {
    "listing": ("on a black list", "被列入黑名单"),
    "low_grade": ("one of the two lowest grades", "两个最低等级之一"),
    "denied_check": ("a check denied in the last 365 days", "最近365天内查询被拒绝"),
    "objection_upheld": ("objection decided against the person", "异议未获支持"),
}
DENIAL_DAYS = 365
OUT_OF_SCOPE = "out_of_scope"


@dataclass(frozen=True)
class SchemeOutcomes:
    """For one scheme: per outcome, the persons at risk and those who met it."""

    scheme: str
    at_risk: dict[str, frozenset[str]]
    met: dict[str, frozenset[str]]


def _persons(conn: Connection) -> set[str]:
    return set(conn.execute(select(subjects.c.id).where(subjects.c.kind == "person")).scalars())


def read_outcomes(conn: Connection, policy: PolicySet, day: dt.date) -> list[SchemeOutcomes]:
    """Every scheme's outcomes on ``day`` (the assessments are the latest evaluation's)."""
    persons = _persons(conn)
    a = assessments.c
    l = list_entries.c  # noqa: E741
    listed = set(
        conn.execute(select(l.subject).where(l.kind == "black", l.ends_on >= day)).scalars()
    )
    since = dt.datetime.combine(day - dt.timedelta(days=DENIAL_DAYS), dt.time())
    denied = set(
        conn.execute(
            select(decision_log.c.subject).where(
                decision_log.c.outcome == "deny", decision_log.c.decided_at > since
            )
        ).scalars()
    )
    decided, failed = _objections(conn)
    out: list[SchemeOutcomes] = []
    for scheme, info in sorted(policy.schemes.items()):
        rows = conn.execute(
            select(a.subject, a.grade).where(a.scheme == scheme, a.status != OUT_OF_SCOPE)
        ).all()
        population = frozenset(r.subject for r in rows if r.subject in persons)
        graded = {r.subject: r.grade for r in rows if r.grade is not None and r.subject in persons}
        lowest = {b.grade for b in info.scheme.bands[-2:]}
        objected = population & decided
        out.append(
            SchemeOutcomes(
                scheme,
                at_risk={
                    "listing": population,
                    "low_grade": frozenset(graded),
                    "denied_check": population,
                    "objection_upheld": objected,
                },
                met={
                    "listing": population & listed,
                    "low_grade": frozenset(p for p, g in graded.items() if g in lowest),
                    "denied_check": population & denied,
                    "objection_upheld": objected & failed,
                },
            )
        )
    return out


def _objections(conn: Connection) -> tuple[frozenset[str], frozenset[str]]:
    """The persons with a decided objection, and those with one decided ``upheld``."""
    filed = records.alias("filed")
    decided = records.alias("decided")
    later = records.alias("later")
    outcome = json_text(conn, decided.c.attributes, "outcome")
    rows = conn.execute(
        select(filed.c.subject, outcome)
        .select_from(
            filed.join(
                decided,
                and_(
                    decided.c.provider == s.PLATFORM,
                    decided.c.category == s.OBJECTION_DECIDED,
                    decided.c.withdrawn.is_(False),
                    json_text(conn, decided.c.attributes, "case") == filed.c.ref,
                ),
            )
        )
        .where(
            filed.c.provider == s.PLATFORM,
            filed.c.category == s.OBJECTION_FILED,
            filed.c.withdrawn.is_(False),
            ~select(later.c.id).where(later.c.supersedes == decided.c.id).exists(),
        )
    ).all()
    return (
        frozenset(r[0] for r in rows),
        frozenset(r[0] for r in rows if r[1] == "upheld"),
    )


__all__ = ["DENIAL_DAYS", "OUTCOMES", "TITLES", "SchemeOutcomes", "read_outcomes"]
