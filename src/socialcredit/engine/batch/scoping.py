"""Step 4 of docs/engine.md in SQL: which subjects each scheme scores on day ``d``.

The same as :mod:`socialcredit.engine.scope`, from the effective records of the
scope categories (kept in ``support``):

* ``placed(subject, category, area, since, ended)``: per subject and place category,
  the record naming an area (a string) with the latest ``since`` on or before ``d``
  (a residence's ``since`` attribute when it is a string, else the day the record
  occurred), then ``occurred_at``, then ``seq``;
* ``born(subject, birth_date)``: per subject, the latest ``registry.person`` record
  (by ``occurred_at``, ``seq``) whose ``birth_date`` is a string;
* ``scope(subject, scheme)``: every subject of a scheme's kinds whose area (the place
  of its kind's category, unless a residence ``ended`` on or before ``d``) the
  scheme's jurisdiction covers, and who meets the scheme's eligibility.

Dates are compared as ISO text, with the cut-offs computed once in Python.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlglot import exp

from socialcredit.engine.batch.adapters.base import Adapter, AttrColumns
from socialcredit.engine.batch.sql import case, number, string, template
from socialcredit.engine.plan import Plan, SchemePlan
from socialcredit.engine.scope import (
    BIRTH_CATEGORY,
    PLACE_CATEGORIES,
    RESIDENCE_CATEGORY,
    adult_born_by,
    resident_since_by,
)

Attr = Callable[[str], AttrColumns]
T = exp.DataType.Type


def _text(day: exp.Expr) -> exp.Expr:
    return exp.cast(day, T.TEXT)


def placed(attr: Attr, day: dt.date) -> exp.Expr:
    """Per subject and place category: the place record in force on ``day``."""
    since, area, ended = attr("since"), attr("area"), attr("ended")
    since_of = template(
        """
        CASE WHEN k.category = :residence AND :since_t = 's' THEN :since_s
             ELSE :occurred END
        """,
        residence=string(RESIDENCE_CATEGORY),
        since_t=since.kind,
        since_s=since.string,
        occurred=_text(exp.column("occurred_at", "k")),
    )
    return template(
        """
        SELECT p.subject, p.category, p.area, p.since, p.ended FROM (
          SELECT k.subject, k.category, :area AS area, :since_of AS since,
            CASE WHEN k.category = :residence THEN :ended ELSE NULL END AS ended,
            ROW_NUMBER() OVER (PARTITION BY k.subject, k.category
                               ORDER BY :since_of DESC, k.occurred_at DESC, k.seq DESC) AS rn
          FROM support AS k
          WHERE k.category IN (:cats) AND :area_t = 's' AND :since_of <= :d
        ) AS p WHERE p.rn = 1
        """,
        area=area.string,
        area_t=area.kind,
        since_of=since_of,
        ended=ended.string,
        residence=string(RESIDENCE_CATEGORY),
        cats=[string(c) for c in sorted(set(PLACE_CATEGORIES.values()))],
        d=string(day.isoformat()),
    )


def born(attr: Attr) -> exp.Expr:
    """Per subject: the date of birth of its latest population registry record that has one."""
    birth = attr("birth_date")
    return template(
        """
        SELECT b.subject, b.birth_date FROM (
          SELECT k.subject, :birth_s AS birth_date,
            ROW_NUMBER() OVER (PARTITION BY k.subject ORDER BY k.occurred_at DESC, k.seq DESC)
              AS rn
          FROM support AS k WHERE k.category = :category AND :birth_t = 's'
        ) AS b WHERE b.rn = 1
        """,
        birth_s=birth.string,
        birth_t=birth.kind,
        category=string(BIRTH_CATEGORY),
    )


def subjects_placed(adapter: Adapter, day: dt.date) -> exp.Expr:
    """Every subject with its area, ``since`` and date of birth on ``day`` (NULL: none)."""
    place_category = case(
        exp.column("kind", "s"),
        [(string(kind), string(cat)) for kind, cat in sorted(PLACE_CATEGORIES.items())],
        exp.null(),
    )
    gone = template("p.ended IS NOT NULL AND p.ended <= :d", d=string(day.isoformat()))

    def unless_gone(column: str) -> exp.Expr:
        return exp.Case(
            ifs=[exp.If(this=exp.paren(gone.copy()), true=exp.null())],
            default=exp.column(column, "p"),
        )

    person = exp.EQ(this=exp.column("kind", "s"), expression=string("person"))
    return (
        exp.select(
            exp.column("id", "s").as_("subject"),
            exp.column("kind", "s"),
            unless_gone("area").as_("area"),
            unless_gone("since").as_("since"),
            exp.Case(ifs=[exp.If(this=person, true=exp.column("birth_date", "b"))]).as_(
                "birth_date"
            ),
        )
        .from_(_subjects(adapter))
        .join(
            "placed AS p",
            on=exp.and_(
                template("p.subject = s.id"),
                exp.EQ(this=exp.column("category", "p"), expression=place_category),
            ),
            join_type="left",
        )
        .join("born AS b", on="b.subject = s.id", join_type="left")
    )


def _subjects(adapter: Adapter) -> exp.Expr:
    return exp.Table(
        this=adapter.source("subjects"), alias=exp.TableAlias(this=exp.to_identifier("s"))
    )


def covers(jurisdiction: str, area: exp.Expr) -> exp.Expr | None:
    """``policy_set.covers`` in SQL; None when it covers every area (national)."""
    if jurisdiction == "national":
        return None
    if jurisdiction.endswith("0000"):
        prefix = jurisdiction[:2]
    elif jurisdiction.endswith("00"):
        prefix = jurisdiction[:4]
    else:
        return exp.EQ(this=area, expression=string(jurisdiction))
    part = exp.Substring(this=area, start=number(1), length=number(len(prefix)))
    return exp.EQ(this=part, expression=string(prefix))


def _condition(s: SchemePlan, day: dt.date, source: str) -> exp.Expr:
    where: exp.Expr = exp.column("kind", source).isin(*(string(k) for k in s.kinds))
    area = exp.column("area", source)
    covered = covers(s.jurisdiction, area)
    if covered is not None:
        where = exp.and_(where, exp.Not(this=area.copy().is_(exp.null())), covered)
    if s.adult:
        birth = exp.column("birth_date", source)
        where = exp.and_(
            where,
            exp.Not(this=birth.is_(exp.null())),
            exp.LTE(this=birth.copy(), expression=string(adult_born_by(day))),
        )
    if s.min_residence_days:
        since = exp.column("since", source)
        where = exp.and_(
            where,
            exp.Not(this=area.copy().is_(exp.null())),
            exp.Not(this=since.is_(exp.null())),
            exp.LTE(
                this=since.copy(),
                expression=string(resident_since_by(day, s.min_residence_days)),
            ),
        )
    return where


def scope(plan: Plan, adapter: Adapter, day: dt.date) -> exp.Expr:
    """Step 4: ``(subject, scheme, area)`` for every subject in scope of every scheme,
    from ``placed_subjects``."""
    selects: list[exp.Select] = []
    for s in plan.schemes:
        selects.append(
            exp.select(
                exp.column("subject", "s").as_("subject"),
                string(s.name).as_("scheme"),
                exp.column("area", "s").as_("area"),
            )
            .from_(exp.to_table("placed_subjects").as_("s"))
            .where(_condition(s, day, "s"))
        )
    if not selects:
        return (
            exp.select(
                exp.column("id", "s").as_("subject"),
                exp.column("kind", "s").as_("scheme"),
                exp.column("kind", "s").as_("area"),
            )
            .from_(_subjects(adapter))
            .where(exp.false())
        )
    query: exp.Expr = selects[0]
    for more in selects[1:]:
        query = exp.union(query, more, distinct=False)
    return query
