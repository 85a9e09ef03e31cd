"""The CTEs of the compiled query, one function per step of docs/engine.md.

Each returns a neutral sqlglot expression; the compiler chains them. Column
contracts between stages are written in each docstring.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlglot import exp

from socialcredit.engine.batch.adapters.base import Adapter, AttrColumns
from socialcredit.engine.batch.plan import CONSENT_CATEGORY, Plan
from socialcredit.engine.batch.sql import case, double, number, string, template, values_table
from socialcredit.engine.model import DOMAIN_NAMES, UNITS_PER_POINT

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


def _cols(table: str, names: tuple[str, ...] | list[str]) -> list[exp.Expression]:
    return [exp.column(n, table) for n in names]


def _in(this: exp.Expression, values: list[str] | tuple[str, ...]) -> exp.Expression:
    return exp.In(this=this, expressions=[string(v) for v in values])


def covers(jurisdiction: str, area: exp.Expression) -> exp.Expression | None:
    """``policy_set.covers`` in SQL (step 4); None when it covers every area."""
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


def source(adapter: Adapter, table: str, alias: str) -> exp.Table:
    """A FROM item reading one snapshot table through the adapter."""
    return exp.Table(
        this=adapter.source(table), alias=exp.TableAlias(this=exp.to_identifier(alias))
    )


def scope(plan: Plan, adapter: Adapter) -> exp.Expression:
    """Step 4: ``(subject, scheme)`` for every subject in scope of every scheme."""
    selects: list[exp.Select] = []
    for s in plan.schemes:
        where = _in(exp.column("kind", "s"), s.kinds)
        area = covers(s.jurisdiction, exp.column("jurisdiction", "s"))
        if area is not None:
            where = exp.and_(where, area)
        selects.append(
            exp.select(exp.column("id", "s").as_("subject"), string(s.name).as_("scheme"))
            .from_(source(adapter, "subjects", "s"))
            .where(where)
        )
    if not selects:
        return (
            exp.select(exp.column("id", "s").as_("subject"), exp.column("kind", "s").as_("scheme"))
            .from_(source(adapter, "subjects", "s"))
            .where(exp.false())
        )
    query: exp.Expression = selects[0]
    for more in selects[1:]:
        query = exp.union(query, more, distinct=False)
    return query


def keyed(plan: Plan, attr: Attr) -> exp.Expression:
    """Step 6, per record: ``act_key`` and ``sector_min`` (0 when no sector minimum applies)."""
    rid = exp.column("id", "t")
    act_key: exp.Expression = rid
    category = exp.column("category", "t")
    if plan.case_keys:
        act_key = case(
            category,
            [
                (string(c), exp.Coalesce(this=attr(key).key, expressions=[rid.copy()]))
                for c, key in plan.case_keys.items()
            ],
            rid.copy(),
        )
    sector_min: exp.Expression = number(0)
    if plan.sector_minimum:
        by_record: exp.Expression = number(0)
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


def rules_table(plan: Plan) -> exp.Expression:
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


def enders(plan: Plan) -> exp.Expression:
    """Step 6, ``ended_by``: the first day of each (subject, category, act key) among the
    records of ending categories."""
    return template(
        """
        SELECT k.subject, k.category, k.act_key, MIN(k.occurred_at) AS day
        FROM keyed AS k WHERE k.category IN (:cats)
        GROUP BY k.subject, k.category, k.act_key
        """,
        cats=[string(c) for c in plan.ender_categories],
    )


def ending_table(plan: Plan) -> exp.Expression:
    """``(rule_order, category)`` for every category in every rule's ``ended_by``."""
    rows = [(r.order, c) for r in plan.rules for c in r.ended_by]
    return values_table([("rule_order", T.INT), ("category", T.VARCHAR)], list(rows))


def ends() -> exp.Expression:
    """The first ending day of each match (``seq``, ``rule_order``) that has one."""
    return template(
        """
        SELECT m.seq, m.rule_order, MIN(x.day) AS day
        FROM matched AS m
        JOIN ending AS b ON b.rule_order = m.rule_order
        JOIN enders AS x ON x.subject = m.subject AND x.category = b.category
          AND x.act_key = m.act_key
        GROUP BY m.seq, m.rule_order
        """
    )


def timed(end: exp.Expression, *, ended: bool) -> exp.Expression:
    """Matches with their ``end_day``; ``subject`` is the record's subject, ``via`` the role."""
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
    query = exp.select(*_cols("m", names), exp.alias_(end, "end_day")).from_("matched AS m")
    if ended:
        query = query.join(
            "ends AS n", on="n.seq = m.seq AND n.rule_order = m.rule_order", join_type="LEFT"
        )
    return query


def holders(plan: Plan, attr: Attr, day: str) -> exp.Expression:
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
    selects: list[exp.Expression] = []
    for role, category in sorted(plan.role_categories.items()):
        parts = {
            "person": person.string,
            "role": string(role),
            "holds": holds,
            "category": string(category),
        }
        if role == "legal_representative":
            query = """
                SELECT l.org, l.person, l.role FROM (
                  SELECT k.subject AS org, :person AS person, :role AS role,
                    ROW_NUMBER() OVER (PARTITION BY k.subject
                                       ORDER BY k.occurred_at DESC, k.seq DESC) AS rn
                  FROM keyed AS k WHERE k.category = :category AND :holds
                ) AS l
                WHERE l.rn = 1 AND NOT l.person IS NULL
                """
        else:
            query = """
                SELECT DISTINCT k.subject AS org, :person AS person, :role AS role
                FROM keyed AS k
                WHERE k.category = :category AND NOT :person IS NULL AND :holds
                """
        selects.append(template(query, **parts))
    query = selects[0]
    for more in selects[1:]:
        query = exp.union(query, more, distinct=False)
    return query


def scored(*, via: bool) -> exp.Expression:
    """Matches attributed to the subject they score: the record's own subject, or for a
    ``via`` rule each person holding the role, with the organisation's id before the act key."""
    rest = [n for n in MATCH if n != "act_key"]
    own = exp.select(exp.column("subject", "t"), exp.column("act_key", "t"), *_cols("t", rest))
    own = own.from_("timed AS t")
    if not via:
        return own
    own = own.where("t.via IS NULL")
    key = exp.DPipe(
        this=exp.DPipe(this=exp.column("subject", "t"), expression=string(":")),
        expression=exp.column("act_key", "t"),
        safe=True,
    )
    roles = (
        exp.select(
            exp.column("person", "h").as_("subject"), exp.alias_(key, "act_key"), *_cols("t", rest)
        )
        .from_("timed AS t")
        .join("holders AS h", on="h.org = t.subject AND h.role = t.via")
    )
    return exp.union(own, roles, distinct=False)


def ranked() -> exp.Expression:
    """Step 7: matches of subjects in scope, ranked within (subject, scheme, act key)."""
    return template(
        """
        SELECT s.*, ROW_NUMBER() OVER (
            PARTITION BY s.subject, s.scheme, s.act_key
            ORDER BY ABS(s.p) DESC, s.occurred_at, s.seq, s.rule_order) AS rn
        FROM scored AS s JOIN scope AS c ON c.subject = s.subject AND c.scheme = s.scheme
        """
    )


def reps(repeats: bool, prev_end: exp.Expression) -> exp.Expression:
    """Step 8: the representatives with their repeat multiplier ``mult``."""
    names = ("subject", *MATCH)
    if not repeats:
        return (
            exp.select(*_cols("r", names), exp.alias_(double(1.0), "mult"))
            .from_("ranked AS r")
            .where("r.rn = 1")
        )
    lagged = template(
        """
        SELECT x.*,
          LAG(x.occurred_at) OVER (PARTITION BY x.subject, x.rule_order
                                   ORDER BY x.occurred_at, x.seq) AS prev_occ,
          LAG(x.e) OVER (PARTITION BY x.subject, x.rule_order
                         ORDER BY x.occurred_at, x.seq) AS prev_e
        FROM ranked AS x WHERE x.rn = 1 AND NOT x.repeat_mult IS NULL
        """
    )
    escalates = template(
        "CASE WHEN NOT r.prev_occ IS NULL AND :prev_end > r.occurred_at THEN r.repeat_mult "
        "ELSE :one END",
        prev_end=prev_end,
        one=double(1.0),
    )
    repeating = exp.select(*_cols("r", names), exp.alias_(escalates, "mult")).from_(
        lagged.subquery("r")
    )
    others = (
        exp.select(*_cols("r", names), exp.alias_(double(1.0), "mult"))
        .from_("ranked AS r")
        .where("r.rn = 1 AND r.repeat_mult IS NULL")
    )
    return exp.union(repeating, others, distinct=False)


def contrib(day: exp.Expression, age: exp.Expression) -> exp.Expression:
    """Steps 9-10: active representatives' contributions in units,
    ``round_half_away_from_zero(p * mult * weight, 4)`` exactly as ``model.to_units``."""
    return template(
        """
        SELECT c.subject, c.scheme, c.domain, c.cap_rank,
          CAST(SIGN(c.x) * FLOOR(ABS(c.x) * :units + :half) AS BIGINT) AS units
        FROM (
          SELECT r.subject, r.scheme, r.domain, r.cap_rank,
            r.p * r.mult * CASE WHEN r.half_life IS NULL THEN :one
                                ELSE POWER(:half, CAST(:age AS DOUBLE) / r.half_life) END AS x
          FROM reps AS r WHERE r.end_day >= :d
        ) AS c
        """,
        units=double(UNITS_PER_POINT),
        half=double(0.5),
        one=double(1.0),
        age=age,
        d=day,
    )


def aggregate() -> exp.Expression:
    """Step 11-12: integer sums per (subject, scheme) and domain; the worst grade cap."""
    sums = [
        exp.alias_(
            template(
                "SUM(CASE WHEN c.domain = :domain THEN c.units ELSE 0 END)",
                domain=string(domain),
            ),
            f"{domain}_units",
        )
        for domain in DOMAIN_NAMES
    ]
    return (
        exp.select(
            "c.subject",
            "c.scheme",
            exp.alias_(template("SUM(c.units)"), "total_units"),
            *sums,
            exp.alias_(template("MAX(c.cap_rank)"), "cap_rank"),
        )
        .from_("contrib AS c")
        .group_by("c.subject", "c.scheme")
    )


def consent(plan: Plan, attr: Attr) -> exp.Expression:
    """Step 5: whether each subject's latest consent record for each scheme gives consent."""
    scheme, given = attr("scheme"), attr("given")
    return template(
        """
        SELECT c.subject, c.scheme, c.given FROM (
          SELECT k.subject, :scheme AS scheme,
            COALESCE(:given_kind = 'b' AND :given = :one, FALSE) AS given,
            ROW_NUMBER() OVER (PARTITION BY k.subject, :scheme
                               ORDER BY k.occurred_at DESC, k.seq DESC) AS rn
          FROM keyed AS k WHERE k.category = :category AND :scheme IN (:names)
        ) AS c WHERE c.rn = 1
        """,
        scheme=scheme.string,
        given_kind=given.kind,
        given=given.number,
        one=double(1.0),
        category=string(CONSENT_CATEGORY),
        names=[string(n) for n in plan.consent_schemes],
    )


def final(plan: Plan, *, has_rules: bool) -> exp.Select:
    """Steps 5, 11, 12: status, score, domain scores and grade for every (subject, scheme)."""
    consenting = plan.consent_schemes
    ok: exp.Expression = exp.true()
    if consenting:
        ok = template(
            "NOT c.scheme IN (:names) OR COALESCE(n.given, FALSE)",
            names=[string(n) for n in consenting],
        )
    base = case(
        exp.column("scheme", "c"), [(string(s.name), number(s.base_units)) for s in plan.schemes]
    )

    def summed(column: str) -> exp.Expression:
        if not has_rules:
            return number(0)
        return exp.Coalesce(this=exp.column(column, "a"), expressions=[number(0)])

    def if_ok(value: exp.Expression, otherwise: exp.Expression) -> exp.Expression:
        if not consenting:
            return value
        return exp.Case(ifs=[exp.If(this=exp.paren(ok.copy()), true=value)], default=otherwise)

    total = exp.Add(this=base, expression=summed("total_units"))
    inner = exp.select(
        "c.subject",
        "c.scheme",
        exp.alias_(if_ok(string("scored"), string("no_consent")), "status"),
        exp.alias_(exp.cast(if_ok(total, exp.null()), T.BIGINT), "score_units"),
        *(
            exp.alias_(exp.cast(if_ok(summed(f"{d}_units"), number(0)), T.BIGINT), f"{d}_units")
            for d in DOMAIN_NAMES
        ),
        exp.alias_(summed("cap_rank") if has_rules else number(0), "cap_rank"),
    ).from_("scope AS c")
    if has_rules:
        inner = inner.join(
            "agg AS a", on="a.subject = c.subject AND a.scheme = c.scheme", join_type="LEFT"
        )
    if consenting:
        inner = inner.join(
            "consent AS n", on="n.subject = c.subject AND n.scheme = c.scheme", join_type="LEFT"
        )
    banded = exp.select(exp.Star(), exp.alias_(band_rank(plan), "band_rank")).from_(
        inner.subquery("f")
    )
    return exp.select(
        *_cols("g", ("subject", "scheme", "status", "score_units")),
        *_cols("g", [f"{d}_units" for d in DOMAIN_NAMES]),
        exp.alias_(grade(plan), "grade"),
    ).from_(banded.subquery("g"))


def band_rank(plan: Plan) -> exp.Expression:
    """Step 12: the rank of the first band whose minimum the score reaches (0 is best)."""
    score = exp.column("score_units", "f")
    bands = [
        (
            string(s.name),
            case(
                None,
                [
                    (exp.GTE(this=score.copy(), expression=number(units)), number(rank))
                    for rank, units in enumerate(s.min_units)
                ],
                number(len(s.grades) - 1),
            ),
        )
        for s in plan.schemes
    ]
    return case(exp.column("scheme", "f"), bands)


def grade(plan: Plan) -> exp.Expression:
    """Step 12: the band's grade, or the worst grade cap of the active representatives."""
    rank = template("CASE WHEN g.cap_rank > g.band_rank THEN g.cap_rank ELSE g.band_rank END")
    if not plan.schemes:
        return exp.cast(exp.null(), T.VARCHAR)
    by_scheme = case(
        exp.column("scheme", "g"),
        [
            (
                string(s.name),
                case(rank.copy(), [(number(i), string(g)) for i, g in enumerate(s.grades)]),
            )
            for s in plan.schemes
        ],
    )
    return exp.Case(
        ifs=[exp.If(this=exp.column("score_units", "g").is_(exp.null()), true=exp.null())],
        default=by_scheme,
    )
