"""The CTEs of steps 5 and 7-12 of docs/engine.md: representatives, repeats, decay,
contributions in units, sums, consent, grades and caps.

Each function returns a neutral sqlglot expression; the compiler chains them.
"""

from __future__ import annotations

from sqlglot import exp

from socialcredit.engine.batch.matching import MATCH, Attr, cols
from socialcredit.engine.batch.sql import case, double, number, query, string, template
from socialcredit.engine.model import DOMAIN_NAMES, UNITS_PER_POINT
from socialcredit.engine.plan import Plan
from socialcredit.engine.records import CONSENT_CATEGORY

T = exp.DataType.Type


def ranked() -> exp.Expr:
    """Step 7: matches of subjects in scope, ranked within (subject, scheme, act key)."""
    return template(
        """
        SELECT s.*, ROW_NUMBER() OVER (
            PARTITION BY s.subject, s.scheme, s.act_key
            ORDER BY ABS(s.p) DESC, s.occurred_at, s.seq, s.rule_order) AS rn
        FROM scored AS s JOIN scope AS c ON c.subject = s.subject AND c.scheme = s.scheme
        """
    )


def reps(repeats: bool, prev_end: exp.Expr) -> exp.Expr:
    """Step 8: the representatives with their repeat multiplier ``mult``. The previous
    representative is looked up for every rule (a window per subject and rule, so rules
    without ``repeat`` do not disturb those with), and ``ranked`` is read once."""
    names = ("subject", *MATCH)
    if not repeats:
        return (
            exp.select(*cols("r", names), exp.alias_(double(1.0), "mult"))
            .from_("ranked AS r")
            .where("r.rn = 1")
        )
    lagged = query(
        template(
            """
            SELECT x.*,
              LAG(x.occurred_at) OVER (PARTITION BY x.subject, x.rule_order
                                       ORDER BY x.occurred_at, x.seq) AS prev_occ,
              LAG(x.e) OVER (PARTITION BY x.subject, x.rule_order
                             ORDER BY x.occurred_at, x.seq) AS prev_e
            FROM ranked AS x WHERE x.rn = 1
            """
        )
    ).subquery("r")
    escalates = template(
        "CASE WHEN NOT r.repeat_mult IS NULL AND NOT r.prev_occ IS NULL "
        "AND :prev_end > r.occurred_at THEN r.repeat_mult ELSE :one END",
        prev_end=prev_end,
        one=double(1.0),
    )
    return exp.select(*cols("r", names), exp.alias_(escalates, "mult")).from_(lagged)


def contrib(day: exp.Expr, age: exp.Expr) -> exp.Expr:
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
          FROM reps AS r WHERE r.end_day > :d
        ) AS c
        """,
        units=double(UNITS_PER_POINT),
        half=double(0.5),
        one=double(1.0),
        age=age,
        d=day,
    )


def aggregate() -> exp.Expr:
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


def consent(plan: Plan, attr: Attr) -> exp.Expr:
    """Step 5: whether each subject's latest consent record for each scheme gives consent."""
    scheme, given = attr("scheme"), attr("given")
    return template(
        """
        SELECT c.subject, c.scheme, c.given FROM (
          SELECT k.subject, :scheme AS scheme,
            COALESCE(:given_kind = 'b' AND :given = :one, FALSE) AS given,
            ROW_NUMBER() OVER (PARTITION BY k.subject, :scheme
                               ORDER BY k.occurred_at DESC, k.seq DESC) AS rn
          FROM support AS k WHERE k.category = :category AND :scheme IN (:names)
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
    ok: exp.Expr = exp.true()
    if consenting:
        ok = template(
            "NOT c.scheme IN (:names) OR COALESCE(n.given, FALSE)",
            names=[string(n) for n in consenting],
        )
    base = case(
        exp.column("scheme", "c"), [(string(s.name), number(s.base_units)) for s in plan.schemes]
    )

    def summed(column: str) -> exp.Expr:
        if not has_rules:
            return number(0)
        return exp.Coalesce(this=exp.column(column, "a"), expressions=[number(0)])

    def if_ok(value: exp.Expr, otherwise: exp.Expr) -> exp.Expr:
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
        "c.area",
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
        *cols("g", ("subject", "scheme", "status", "score_units")),
        *cols("g", [f"{d}_units" for d in DOMAIN_NAMES]),
        exp.alias_(grade(plan), "grade"),
        exp.column("area", "g"),
    ).from_(banded.subquery("g"))


def band_rank(plan: Plan) -> exp.Expr:
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


def grade(plan: Plan) -> exp.Expr:
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
