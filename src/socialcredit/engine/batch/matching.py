"""The CTEs of steps 1-3, 6 and 13 of docs/engine.md: records with act keys, matches
with their points, effect period and end day, and the subjects roles give them to.

Each function returns a neutral sqlglot expression; the compiler chains them. The column
contracts between stages are in the docstrings.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlglot import exp

from socialcredit.engine.batch.adapters.base import Adapter, AttrColumns
from socialcredit.engine.batch.sql import case, number, string, template, values_table
from socialcredit.engine.plan import Plan
from socialcredit.engine.records import CONSENT_CATEGORY
from socialcredit.engine.scope import SCOPE_CATEGORIES

Attr = Callable[[str], AttrColumns]
T = exp.DataType.Type
# the columns a match carries from step 6 on
MATCH = (
    "seq",
    "occurred_at",
    "act_key",
    "rule_order",
    "scheme",
    "domain",
    "half_life",
    "repeat_mult",
    "cap_rank",
    "p",
    "e",
    "end_day",
)


def cols(table: str, names: tuple[str, ...] | list[str]) -> list[exp.Expr]:
    return [exp.column(n, table) for n in names]


def _in(this: exp.Expr, values: list[str] | tuple[str, ...]) -> exp.Expr:
    return exp.In(this=this, expressions=[string(v) for v in values])


def source(adapter: Adapter, table: str, alias: str) -> exp.Table:
    """A FROM item reading one snapshot table through the adapter."""
    return exp.Table(
        this=adapter.source(table), alias=exp.TableAlias(this=exp.to_identifier(alias))
    )


def keyed(plan: Plan, attr: Attr) -> exp.Expr:
    """Step 6, per record: ``act_key`` and ``sector_min`` (0 when no sector minimum applies)."""
    rid = exp.column("id", "t")
    act_key: exp.Expr = rid
    category = exp.column("category", "t")
    if plan.read_case_keys:
        act_key = case(
            category,
            [
                (string(c), exp.Coalesce(this=attr(key).key, expressions=[rid.copy()]))
                for c, key in plan.read_case_keys.items()
            ],
            rid.copy(),
        )
    sector_min: exp.Expr = number(0)
    if plan.sector_minimum:
        by_record: exp.Expr = number(0)
        if "sector" in plan.attributes:
            minima = sorted(plan.sector_minimum.items())
            by_record = case(
                attr("sector").string, [(string(s), number(d)) for s, d in minima], number(0)
            )
        declared = sorted(plan.category_sector.items())
        sector_min = case(
            category,
            [(string(c), number(plan.sector_minimum.get(s, 0))) for c, s in declared],
            by_record,
        )
    return exp.select(
        exp.Star(), exp.alias_(act_key, "act_key"), exp.alias_(sector_min, "sector_min")
    ).from_(exp.to_table("typed").as_("t"))


def support(plan: Plan) -> exp.Expr | None:
    """The records read for what they tell about others' matches and scores, not scored
    themselves: of the categories ending matches (``ended_by``), of the roles the rules use
    and of consent (``keyed`` rows, none of them when the policy needs none)."""
    categories = sorted(
        {
            *plan.ender_categories,
            *plan.role_categories.values(),
            *([CONSENT_CATEGORY] if plan.consent_schemes else []),
            *SCOPE_CATEGORIES,
        }
    )
    if not categories:
        return None
    return (
        exp.select(exp.Star())
        .from_(exp.to_table("keyed").as_("t"))
        .where(_in(exp.column("category", "t"), categories))
    )


def rules_table(plan: Plan) -> exp.Expr:
    """The rules as a table: their constants, joined to records by category."""
    return values_table(
        [
            ("rule_order", T.INT),
            ("scheme", T.VARCHAR),
            ("category", T.VARCHAR),
            ("points", T.DOUBLE),
            ("domain", T.VARCHAR),
            ("effect_days", T.INT),
            ("half_life", T.DOUBLE),
            ("repeat_mult", T.DOUBLE),
            ("cap_rank", T.INT),
            ("via", T.VARCHAR),
        ],
        [
            (
                r.order,
                r.scheme,
                r.category,
                r.points,
                r.domain,
                r.effect_days,
                r.half_life,
                r.repeat,
                r.cap_rank,
                r.via,
            )
            for r in plan.rules
        ],
    )


def enders(plan: Plan) -> exp.Expr:
    """Step 6, ``ended_by``: the first day of each (subject, category, act key) among the
    records of ending categories."""
    return template(
        """
        SELECT k.subject, k.category, k.act_key, MIN(k.occurred_at) AS day
        FROM support AS k WHERE k.category IN (:cats)
        GROUP BY k.subject, k.category, k.act_key
        """,
        cats=[string(c) for c in plan.ender_categories],
    )


def ending_table(plan: Plan) -> exp.Expr:
    """``(rule_order, category)`` for every category in every rule's ``ended_by``."""
    rows = [(r.order, c) for r in plan.rules for c in r.ended_by]
    return values_table([("rule_order", T.INT), ("category", T.VARCHAR)], list(rows))


def ends() -> exp.Expr:
    """The first ending day of the matches of each (subject, act key, rule): the first day
    among the enders of that subject and act key in the categories ending the rule. Keyed
    so, it is computed from the enders alone, and ``matched`` is read once."""
    return template(
        """
        SELECT x.subject, x.act_key, b.rule_order, MIN(x.day) AS day
        FROM enders AS x
        JOIN ending AS b ON b.category = x.category
        GROUP BY x.subject, x.act_key, b.rule_order
        """
    )


def timed(end: exp.Expr, *, ended: bool) -> exp.Expr:
    """Matches with their ``end_day``; ``subject`` is the record's subject, ``via`` the role.
    ``end`` may read ``n.day`` (the first ending day, when ``ended``) and ``q.effective``
    (the record's accepted repair, from ``repaired``)."""
    names = (
        "seq",
        "subject",
        "occurred_at",
        "act_key",
        "rule_order",
        "scheme",
        "domain",
        "half_life",
        "repeat_mult",
        "cap_rank",
        "via",
        "p",
        "e",
    )
    query = exp.select(*cols("m", names), exp.alias_(end, "end_day")).from_("matched AS m")
    if ended:
        query = query.join(
            "ends AS n",
            on="n.subject = m.subject AND n.act_key = m.act_key AND n.rule_order = m.rule_order",
            join_type="LEFT",
        )
    return query.join(
        "repaired AS q", on="q.subject = m.subject AND q.record_id = m.id", join_type="LEFT"
    )


def holders(plan: Plan, attr: Attr, day: str) -> exp.Expr:
    """Step 13: ``(org, person, role)`` for each role the rules use, held on day ``d``: the
    role's registry records whose ``ended`` is absent or after ``d`` (an ISO date string),
    and of those, for the legal representative, only the latest (``occurred_at``, ``seq``).
    """
    person, ended = attr("person"), attr("ended")
    holds = template(
        "(:kind IS NULL OR :kind = 'z' OR (:kind = 's' AND :ended > :d))",
        kind=ended.kind,
        ended=ended.string,
        d=string(day),
    )
    selects: list[exp.Expr] = []
    for role, category in sorted(plan.role_categories.items()):
        parts = {
            "person": person.string,
            "role": string(role),
            "holds": holds,
            "category": string(category),
        }
        if role == "legal_representative":
            sql = """
                SELECT l.org, l.person, l.role FROM (
                  SELECT k.subject AS org, :person AS person, :role AS role,
                    ROW_NUMBER() OVER (PARTITION BY k.subject
                                       ORDER BY k.occurred_at DESC, k.seq DESC) AS rn
                  FROM support AS k WHERE k.category = :category AND :holds
                ) AS l
                WHERE l.rn = 1 AND NOT l.person IS NULL
                """
        else:
            sql = """
                SELECT DISTINCT k.subject AS org, :person AS person, :role AS role
                FROM support AS k
                WHERE k.category = :category AND NOT :person IS NULL AND :holds
                """
        selects.append(template(sql, **parts))
    query = selects[0]
    for more in selects[1:]:
        query = exp.union(query, more, distinct=False)
    return query


def scored(*, via: bool) -> exp.Expr:
    """Matches attributed to the subject they score: the record's own subject, or for a
    ``via`` rule each person holding the role, with the organisation's id before the act key.
    ``timed`` is read once (a left join to the holders, which only ``via`` rules meet), so
    that the engine need not keep the matches to read them twice."""
    rest = [n for n in MATCH if n != "act_key"]
    own = exp.select(exp.column("subject", "t"), exp.column("act_key", "t"), *cols("t", rest))
    own = own.from_("timed AS t")
    if not via:
        return own
    key = exp.DPipe(
        this=exp.DPipe(this=exp.column("subject", "t"), expression=string(":")),
        expression=exp.column("act_key", "t"),
        safe=True,
    )
    return (
        exp.select(
            template("CASE WHEN t.via IS NULL THEN t.subject ELSE h.person END").as_("subject"),
            template("CASE WHEN t.via IS NULL THEN t.act_key ELSE :key END", key=key).as_(
                "act_key"
            ),
            *cols("t", rest),
        )
        .from_("timed AS t")
        .join("holders AS h", on="h.org = t.subject AND h.role = t.via", join_type="LEFT")
        .where("t.via IS NULL OR NOT h.org IS NULL")
    )
