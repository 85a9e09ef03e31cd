"""The active policy compiled into one SQL query: docs/engine.md steps 1-13.

The query is a chain of CTEs built as sqlglot expressions in sqlglot's
neutral dialect; the adapter supplies what differs between engines (reading
the snapshot, pulling attributes out of JSON, date arithmetic) and renders
the tree in its engine's dialect. Stages a policy does not need (ended_by,
roles, repeats, consent) are left out of its query.

Output, one row per subject in scope of each scheme: ``subject, scheme,
status, score_units, government_units, commercial_units, social_units,
judicial_units, grade``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlglot import exp

from socialcredit.clock import day_of, naive_utc
from socialcredit.engine.batch import due_process, matching, scoping, scoring
from socialcredit.engine.batch.adapters.base import Adapter, AttrColumns, AttrSpec, attr_columns
from socialcredit.engine.batch.predicates import compile_predicate
from socialcredit.engine.batch.sql import case, double, number, template
from socialcredit.engine.model import DOMAIN_NAMES
from socialcredit.engine.plan import Plan, plan_for
from socialcredit.policy.policy_set import PolicySet

SCORE_COLUMNS = (
    "subject",
    "scheme",
    "status",
    "score_units",
    *(f"{d}_units" for d in DOMAIN_NAMES),
    "grade",
)
# what a run stores besides the scores: the subject's area on the day (NULL: none known)
OUTPUT_COLUMNS = (*SCORE_COLUMNS, "area")
RECORD_COLUMNS = ("seq", "id", "subject", "category", "occurred_at")


@dataclass(frozen=True)
class Compiled:
    """The compiled query for one policy, day and transaction time, on one engine."""

    expression: exp.Select
    adapter: Adapter
    plan: Plan
    day: dt.date
    known_at: dt.datetime

    @property
    def sql(self) -> str:
        return self.adapter.render(self.expression)


def compile_policy(
    policy: PolicySet | Plan,
    adapter: Adapter,
    at: dt.datetime,
    known_at: dt.datetime | None = None,
) -> Compiled:
    """Compile ``policy`` for evaluation at ``at`` with the records known at ``known_at``."""
    plan = policy if isinstance(policy, Plan) else plan_for(policy)
    known = naive_utc(known_at if known_at is not None else at)
    day = day_of(at)
    adapter.require("window")
    return Compiled(_Builder(plan, adapter, day, known).build(), adapter, plan, day, known)


class _Builder:
    def __init__(self, plan: Plan, adapter: Adapter, day: dt.date, known_at: dt.datetime) -> None:
        self.plan = plan
        self.adapter = adapter
        self.day = day
        self.d = adapter.date(day.isoformat())
        self.known = adapter.timestamp(known_at.isoformat(sep=" "))
        self.ctes: list[tuple[str, exp.Expr, bool | None]] = []
        self.specs = [
            AttrSpec(name, i, n.string, n.number, n.key)
            for i, (name, n) in enumerate(plan.attributes.items())
        ]

    def cte(self, name: str, query: exp.Expr, *, keep: bool | None = None) -> None:
        """Add a CTE. ``keep``: whether an engine should compute it once and keep it for
        its readers (True), compute it for each reader (False), or decide (None); the
        adapter passes the hint on where its engine takes one (``Adapter.materialized``).
        A relation with a row per record is not kept: at scale it is the ledger again, in
        memory or spilled to disk, where reading the snapshot again costs less."""
        self.ctes.append((name, query, keep))

    def attr(self, name: str) -> AttrColumns:
        return attr_columns(self.plan.attribute_index(name))

    # -- the query -------------------------------------------------------------------
    def build(self) -> exp.Select:
        plan = self.plan
        has_rules = bool(plan.rules)
        if plan.categories:
            self.effective_records()
        self.cte("placed", scoping.placed(self.attr, self.day))
        self.cte("born", scoping.born(self.attr))
        self.cte("placed_subjects", scoping.subjects_placed(self.adapter, self.day))
        self.cte("scope", scoping.scope(plan, self.adapter, self.day))
        if has_rules:
            self.matches()
            self.representatives()
            self.contributions()
        if plan.consent_schemes:
            self.cte("consent", scoring.consent(plan, self.attr))
        final = scoring.final(plan, has_rules=has_rules)
        for name, query, keep in self.ctes:
            materialized = self.adapter.materialized(keep)
            final = final.with_(name, as_=query, materialized=materialized, copy=False)
        return final

    def effective_records(self) -> None:
        """Steps 1-3: visible, not replaced, not withdrawn, not suspended; attributes typed;
        act keys."""

        def visible(alias: str) -> exp.Expr:
            return template(
                f"{alias}.recorded_at <= :known AND {alias}.occurred_at <= :d",
                known=self.known,
                d=self.d,
            )

        # ``supersedes IS NOT NULL`` changes nothing but lets the engine look up only the
        # records that replace one, not every record
        replaced = (
            exp.select("1")
            .from_(matching.source(self.adapter, "records", "w"))
            .where(exp.Not(this=exp.column("supersedes", "w").is_(exp.null())))
            .where(exp.EQ(this=exp.column("supersedes", "w"), expression=exp.column("id", "r")))
            .where(visible("w"))
        )
        self.cte(
            "current_records",
            exp.select(*(exp.column(c, "r") for c in (*due_process.COLUMNS, "attributes")))
            .from_(matching.source(self.adapter, "records", "r"))
            .where(visible("r"))
            .where(exp.Not(this=exp.column("withdrawn", "r")))
            .where(
                exp.column("category", "r").isin(
                    *sorted({*self.plan.categories, *due_process.CATEGORIES})
                )
            )
            .where(exp.Not(this=exp.Exists(this=replaced))),
            keep=False,
        )
        self.suspensions()
        suspended = (
            exp.select("1").from_("held AS h").where("h.subject = c.subject AND h.record_id = c.id")
        )
        self.cte(
            "eff",
            exp.select(*(exp.column(c, "c") for c in (*RECORD_COLUMNS, "attributes")))
            .from_("current_records AS c")
            .where(exp.column("category", "c").isin(*self.plan.categories))
            .where(exp.Not(this=exp.Exists(this=suspended))),
            keep=False,
        )
        self.cte("typed", self.adapter.typed_attributes("eff", RECORD_COLUMNS, self.specs))
        self.cte("keyed", matching.keyed(self.plan, self.attr))
        support = matching.support(self.plan)
        if support is not None:
            # few records, read by up to four steps: kept, so that the ledger is read for
            # them once
            self.cte("support", support, keep=True)

    def suspensions(self) -> None:
        """Step 3: the remedy steps, and the records suspended on ``d`` (``held``)."""
        self.cte("remedy_rows", due_process.rows())
        self.cte("typed_remedy", due_process.remedy(self.adapter))
        self.cte("remedy", due_process.steps())
        self.cte("answered", due_process.answered())
        self.cte("appeal_decided", due_process.appeal_decided())
        self.cte("held", due_process.held(self.adapter, self.day))

    def matches(self) -> None:
        """Steps 6 and 13: matches with points, effect period and end day; roles."""
        plan, adapter = self.plan, self.adapter
        self.cte("rules", matching.rules_table(plan))
        preds: list[tuple[exp.Expr, exp.Expr]] = []
        pers: list[tuple[exp.Expr, exp.Expr]] = []
        for rule in plan.rules:
            pred = compile_predicate(rule.when, self.attr)
            if rule.per is not None:
                col = self.attr(rule.per)
                is_number = exp.EQ(this=col.kind, expression=exp.Literal.string("n"))
                pred = exp.and_(
                    exp.paren(pred), exp.Coalesce(this=is_number, expressions=[exp.false()])
                )
                pers.append((number(rule.order), col.number))
            preds.append((number(rule.order), pred))
        order = exp.column("rule_order", "u")
        has_per = any(r.per is not None for r in plan.rules)
        self.cte(
            "matched",
            template(
                """
                SELECT k.seq, k.id, k.subject, k.occurred_at, k.act_key, u.rule_order, u.scheme,
                  u.domain, u.half_life, u.repeat_mult, u.cap_rank, u.via,
                  u.points * :per AS p,
                  CASE WHEN k.sector_min > u.effect_days THEN k.sector_min
                       ELSE u.effect_days END AS e
                FROM keyed AS k JOIN rules AS u ON u.category = k.category
                WHERE :matches
                """,
                per=case(order, pers, double(1.0)) if has_per else double(1.0),
                matches=case(order, preds, exp.false()),
            ),
        )
        end = adapter.add_days(exp.column("occurred_at", "m"), exp.column("e", "m"))
        if plan.ender_categories:
            self.cte("enders", matching.enders(plan))
            self.cte("ending", matching.ending_table(plan))
            self.cte("ends", matching.ends())
            end = template(
                """
                CASE WHEN n.day IS NOT NULL AND n.day <= :d AND n.day < :end THEN n.day
                     ELSE :end END
                """,
                d=self.d,
                end=end,
            )
        # step 6, repaired: an accepted repair ends the match on its effective day, when that
        # is on or before d and before the end so far (ended_by wins a tie)
        self.cte("repaired", due_process.repaired())
        end = template(
            """
            CASE WHEN q.effective IS NOT NULL AND q.effective <= :d AND q.effective < :end
                 THEN q.effective ELSE :end END
            """,
            d=self.d,
            end=end,
        )
        self.cte("timed", matching.timed(end, ended=bool(plan.ender_categories)))
        if plan.role_categories:
            self.cte("holders", matching.holders(plan, self.attr, self.day.isoformat()))
        self.cte("scored", matching.scored(via=bool(plan.role_categories)))

    def representatives(self) -> None:
        """Steps 7-8: one act counts once; repeats escalate."""
        self.cte("ranked", scoring.ranked())
        repeats = any(r.repeat is not None for r in self.plan.rules)
        prev_end = self.adapter.add_days(exp.column("prev_occ"), exp.column("prev_e"))
        self.cte("reps", scoring.reps(repeats, prev_end))

    def contributions(self) -> None:
        """Steps 9-12: decay, contributions in units, sums per domain, grade caps."""
        age = self.adapter.days_between(exp.column("occurred_at"), self.d)
        self.cte("contrib", scoring.contrib(self.d, age))
        self.cte("agg", scoring.aggregate())
