"""The CTEs of step 3 of docs/engine.md (docs/remedies.md, "Effect on the engines"):
suspensions and repairs, exactly as :mod:`socialcredit.engine.due_process` derives them.

From the records effective by steps 1-2 (``current``) the remedy steps are read with
their typed attributes (``remedy``); a step belongs to the case whose filing has the
same subject and provider and ``ref == step.attributes.case``.

* ``held(subject, record_id)``: the records suspended on day ``d``: the ``target`` of an
  objection whose hold ``[answer_by + 1, first answer day)`` covers ``d``, or of a
  listing suspension whose hold ``[its day, first appeal decision day)`` covers ``d``.
* ``repaired(subject, record_id, effective)``: per target record, the earliest
  ``effective`` day of an accepted repair decision of a repair case naming it.

Dates in attributes count when they are strings Python's ``date.fromisoformat`` reads
as a calendar date (``YYYY-MM-DD`` or ``YYYYMMDD``, year 1 to 9999).
"""

from __future__ import annotations

import datetime as dt

from sqlglot import exp

from socialcredit.engine.batch.adapters.base import Adapter, AttrSpec, attr_columns
from socialcredit.engine.batch.sql import string, template
from socialcredit.engine.due_process import (
    APPEAL_DECIDED,
    ENGINE_CATEGORIES,
    LISTING_SUSPENDED,
    OBJECTION_FILED,
    PROVIDER_ANSWERED,
    REPAIR_APPLIED,
    REPAIR_DECIDED,
)

CATEGORIES = tuple(sorted(ENGINE_CATEGORIES))
# the remedy attributes the engines read, all as strings
ATTRIBUTES = ("target", "case", "answer_by", "outcome", "effective")
COLUMNS = ("seq", "id", "provider", "ref", "subject", "category", "occurred_at")
SPECS = [AttrSpec(name, i, True, False, False) for i, name in enumerate(ATTRIBUTES)]


def _string(name: str) -> exp.Expr:
    return attr_columns(ATTRIBUTES.index(name)).string


def iso_date(text: exp.Expr) -> exp.Expr:
    """A DATE from a string ``date.fromisoformat`` reads as a calendar date, else NULL."""

    def part(start: int, length: int) -> exp.Expr:
        return exp.Substring(
            this=text.copy(), start=exp.Literal.number(start), length=exp.Literal.number(length)
        )

    def like(pattern: str) -> exp.Expr:
        return exp.RegexpLike(this=text.copy(), expression=string(pattern))

    year_ok = exp.NEQ(this=part(1, 4), expression=string("0000"))
    dashed = exp.and_(like("^[0-9]{4}-[0-9]{2}-[0-9]{2}$"), year_ok)
    basic = exp.and_(like("^[0-9]{8}$"), year_ok.copy())
    joined = exp.DPipe(
        this=exp.DPipe(
            this=exp.DPipe(
                this=exp.DPipe(this=part(1, 4), expression=string("-"), safe=True),
                expression=part(5, 2),
                safe=True,
            ),
            expression=string("-"),
            safe=True,
        ),
        expression=part(7, 2),
        safe=True,
    )
    date = exp.DataType.build("DATE")
    return exp.Case(
        ifs=[
            exp.If(this=dashed, true=exp.TryCast(this=text.copy(), to=date)),
            exp.If(this=basic, true=exp.TryCast(this=joined, to=date.copy())),
        ]
    )


def rows() -> exp.Expr:
    """The remedy steps among the records effective by steps 1-2."""
    return template(
        "SELECT c.* FROM current_records AS c WHERE c.category IN (:cats)",
        cats=[string(c) for c in CATEGORIES],
    )


def remedy(adapter: Adapter) -> exp.Expr:
    """``remedy_rows`` with the attributes as typed columns (``typed_remedy``)."""
    return adapter.typed_attributes("remedy_rows", COLUMNS, SPECS)


def steps() -> exp.Expr:
    """``subject, provider, ref, category, occurred_at, target, case_ref, outcome,
    answer_by, effective``: the steps' attributes, dates as DATE (NULL when not a date)."""
    return exp.select(
        *(exp.column(c, "t") for c in ("subject", "provider", "ref", "category", "occurred_at")),
        exp.alias_(_string("target"), "target"),
        exp.alias_(_string("case"), "case_ref"),
        exp.alias_(_string("outcome"), "outcome"),
        exp.alias_(iso_date(_string("answer_by")), "answer_by"),
        exp.alias_(iso_date(_string("effective")), "effective"),
    ).from_("typed_remedy AS t")


def first_step(category: str) -> exp.Expr:
    """``(subject, provider, case_ref, day)``: the first day of a step of each case."""
    return template(
        """
        SELECT s.subject, s.provider, s.case_ref, MIN(s.occurred_at) AS day
        FROM remedy AS s WHERE s.category = :category AND NOT s.case_ref IS NULL
        GROUP BY s.subject, s.provider, s.case_ref
        """,
        category=string(category),
    )


def answered() -> exp.Expr:
    """The first provider answer of each case (``answered``)."""
    return first_step(PROVIDER_ANSWERED)


def appeal_decided() -> exp.Expr:
    """The first appeal decision of each case (``appeal_decided``)."""
    return first_step(APPEAL_DECIDED)


def held(adapter: Adapter, day: dt.date) -> exp.Expr:
    """``(subject, record_id)`` of every record suspended on ``day``."""
    d = adapter.date(day.isoformat())
    start = adapter.add_days(exp.column("answer_by", "f"), exp.Literal.number(1))
    objections = template(
        """
        SELECT f.subject, f.target AS record_id
        FROM remedy AS f
        LEFT JOIN answered AS a
          ON a.subject = f.subject AND a.provider = f.provider AND a.case_ref = f.ref
        WHERE f.category = :filed AND NOT f.target IS NULL AND NOT f.answer_by IS NULL
          AND (a.day IS NULL OR a.day > :start)
          AND :start <= :d AND (a.day IS NULL OR :d < a.day)
        """,
        filed=string(OBJECTION_FILED),
        start=start,
        d=d,
    )
    appeals = template(
        """
        SELECT f.subject, f.target AS record_id
        FROM remedy AS f
        LEFT JOIN appeal_decided AS a
          ON a.subject = f.subject AND a.provider = f.provider AND a.case_ref = f.case_ref
        WHERE f.category = :suspended AND NOT f.target IS NULL AND NOT f.case_ref IS NULL
          AND (a.day IS NULL OR a.day > f.occurred_at)
          AND f.occurred_at <= :d AND (a.day IS NULL OR :d < a.day)
        """,
        suspended=string(LISTING_SUSPENDED),
        d=d.copy(),
    )
    return exp.union(objections, appeals, distinct=True)


def repaired() -> exp.Expr:
    """``(subject, record_id, effective)``: the earliest accepted repair of each record."""
    return template(
        """
        SELECT f.subject, f.target AS record_id, MIN(s.effective) AS effective
        FROM remedy AS f
        JOIN remedy AS s
          ON s.subject = f.subject AND s.provider = f.provider AND s.case_ref = f.ref
        WHERE f.category = :applied AND NOT f.target IS NULL
          AND s.category = :decided AND s.outcome = 'accepted' AND NOT s.effective IS NULL
        GROUP BY f.subject, f.target
        """,
        applied=string(REPAIR_APPLIED),
        decided=string(REPAIR_DECIDED),
    )
