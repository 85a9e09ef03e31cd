"""What the scorecard reads about a subject: their own history as known at a cut-off.

One row per person or enterprise registered by the cut-off. Every feature is a count,
a recency or an amount of the subject's *own* records as the ledger knew them at the
cut-off (bitemporal: occurred and known by then, neither withdrawn nor superseded by
then), or a registry fact about an enterprise. A record is known from when the ledger
recorded it or, if earlier, from the day its provider says it reported it
(``reported_at``: a history loaded in bulk was known to its providers before). Nothing
reads an identity number, a person's birth date, sex or home region, or any other
subject's records.

The target is a serious default (:class:`~socialcredit.policy.risk.RiskSettings`) that
occurred in the horizon after the cut-off, as the ledger knows it now; the naive
baseline is the count of the subject's adverse records in the two years before it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from socialcredit.engine.batch.adapters.snapshot_sql import query_snapshot
from socialcredit.engine.batch.snapshot import Snapshot
from socialcredit.policy.catalogue import Category
from socialcredit.policy.risk import RiskSettings

F64 = npt.NDArray[np.float64]
OBJ = npt.NDArray[np.object_]
Trend = Literal["ascending", "descending", "auto"]
NEVER_MONTHS = 120.0  # months since the last adverse record, for a subject with none
NO_FACT = -1.0  # a registry fact the subject does not have (a person's capital)


@dataclass(frozen=True)
class Feature:
    """One feature: its SQL aggregate, how its default rate should run with its value
    (ascending: more of it, more risk), and what a reason code says of it."""

    name: str
    sql: str
    trend: Trend
    en: str  # the reason, in English, when this feature lowers the score
    zh: str  # the same in Simplified Chinese


FEATURES: tuple[Feature, ...] = (
    Feature("adverse_2y", "count(*) FILTER (adverse AND occurred_at > $2 - INTERVAL 730 DAY)",
            "ascending", "adverse records in the last two years",
            "近两年的失信记录"),
    Feature("adverse_all", "count(*) FILTER (adverse)", "ascending",
            "adverse records over your whole history", "全部历史中的失信记录"),
    Feature("serious_all", "count(*) FILTER (list_contains($4, category))", "ascending",
            "serious adverse records", "严重失信记录"),
    Feature("months_since_adverse",
            f"coalesce(date_diff('month', max(occurred_at) FILTER (adverse), $2), {NEVER_MONTHS})",
            "descending", "a recent adverse record", "最近有失信记录"),
    Feature("judicial_all", "count(*) FILTER (list_contains($6, category))", "ascending",
            "records in the judicial domain", "司法领域的失信记录"),
    Feature("commercial_all", "count(*) FILTER (list_contains($7, category))", "ascending",
            "records in the commercial domain (tax, market, finance)",
            "商务领域（税务、市场、金融）的失信记录"),
    Feature("social_all", "count(*) FILTER (list_contains($8, category))", "ascending",
            "records in the social domain (transport, utilities)",
            "社会领域（交通、公用事业）的失信记录"),
    Feature("government_all", "count(*) FILTER (list_contains($9, category))", "ascending",
            "records in the government domain", "政务领域的失信记录"),
    Feature("defaults_all", "count(*) FILTER (serious_default)", "ascending",
            "earlier serious defaults (judgments, loans 90+ days overdue, tax evasion)",
            "以往的严重违约（失信被执行、逾期90天以上贷款、偷逃税）"),
    Feature("loans_overdue_all", "count(*) FILTER (category = $11)", "ascending",
            "loans reported overdue", "被报告逾期的贷款"),
    Feature("judgments_unperformed",
            "greatest(count(*) FILTER (category = 'judicial.judgment_default') - "
            "count(*) FILTER (category = 'judicial.judgment_fulfilled'), 0)",
            "ascending", "court judgments not yet performed", "尚未履行的法院判决"),
    Feature("adverse_amount", "ln(1 + coalesce(sum(amount) FILTER (adverse), 0))", "ascending",
            "the amounts involved in adverse records", "失信记录涉及的金额"),
    Feature("adverse_years", "count(DISTINCT year(occurred_at)) FILTER (adverse)", "ascending",
            "adverse records in several different years", "多个年份都有失信记录"),
    Feature("rewards_all", "count(*) FILTER (list_contains($5, category))", "descending",
            "few recognised good deeds (blood donation, volunteering)",
            "受表彰的良好行为（献血、志愿服务）较少"),
    Feature("capital",
            f"coalesce(ln(1 + max(TRY_CAST(json_extract(attributes, '$.registered_capital') "
            f"AS DOUBLE)) FILTER (category = 'registry.enterprise')), {NO_FACT})",
            "auto", "the enterprise's registered capital", "企业的注册资本"),
)  # fmt: skip
NAMES = tuple(f.name for f in FEATURES)
BY_NAME: Mapping[str, Feature] = {f.name: f for f in FEATURES}
BASELINE = "adverse_2y"  # the naive baseline: adverse records in the last two years

_SQL = """
WITH known AS (
    SELECT r.subject, r.category, r.occurred_at, r.attributes,
           list_contains($3, r.category) AS adverse,
           TRY_CAST(json_extract(r.attributes, '$.amount') AS DOUBLE) AS amount,
           (list_contains($10, r.category) OR (r.category = $11 AND
             coalesce(TRY_CAST(json_extract(r.attributes, '$.months_overdue') AS INTEGER), 0)
             >= $12)) AS serious_default
    FROM records r
    WHERE (r.recorded_at <= $1 OR r.reported_at <= $2) AND r.occurred_at <= $2
      AND NOT r.withdrawn
      AND NOT EXISTS (SELECT 1 FROM records s WHERE s.supersedes = r.id
                      AND (s.recorded_at <= $1 OR s.reported_at <= $2))
), population AS (
    SELECT DISTINCT k.subject, s.kind FROM known k JOIN subjects s ON s.id = k.subject
    WHERE k.category IN ('registry.person', 'registry.enterprise')
), outcome AS (
    SELECT DISTINCT r.subject FROM records r
    WHERE r.occurred_at > $2 AND r.occurred_at <= $13 AND NOT r.withdrawn
      AND NOT EXISTS (SELECT 1 FROM records s WHERE s.supersedes = r.id)
      AND (list_contains($10, r.category) OR (r.category = $11 AND
           coalesce(TRY_CAST(json_extract(r.attributes, '$.months_overdue') AS INTEGER), 0)
           >= $12))
), features AS (
    SELECT subject, {features} FROM known GROUP BY subject
)
SELECT p.subject, p.kind, o.subject IS NOT NULL AS defaulted, {columns}
FROM population p
LEFT JOIN features f ON f.subject = p.subject
LEFT JOIN outcome o ON o.subject = p.subject
ORDER BY p.subject
"""


@dataclass(frozen=True)
class Frame:
    """The features of a population at one cut-off, with the outcome after it."""

    cutoff: dt.date
    subject: OBJ
    kind: OBJ
    x: F64  # one column per feature of NAMES
    defaulted: npt.NDArray[np.bool_]  # a serious default in the horizon after the cut-off

    def __len__(self) -> int:
        return len(self.subject)

    def column(self, name: str) -> F64:
        return self.x[:, NAMES.index(name)]

    @property
    def baseline(self) -> F64:
        return self.column(BASELINE)


@dataclass(frozen=True)
class Categories:
    """The categories of the packs in force, as the features group them."""

    adverse: tuple[str, ...]
    serious: tuple[str, ...]
    rewards: tuple[str, ...]
    by_domain: Mapping[str, tuple[str, ...]]

    @classmethod
    def of(cls, catalogue: Mapping[str, Category]) -> Categories:
        bad = ("minor", "general", "serious")
        adverse = [c for c in catalogue.values() if c.kind == "conduct" and c.severity in bad]
        domains = ("judicial", "commercial", "social", "government")
        return cls(
            adverse=tuple(sorted(c.name for c in adverse)),
            serious=tuple(sorted(c.name for c in adverse if c.severity == "serious")),
            rewards=tuple(sorted(c.name for c in catalogue.values() if c.severity == "reward")),
            by_domain={d: tuple(sorted(c.name for c in adverse if c.domain == d)) for d in domains},
        )


def _to_instant(day: dt.date) -> dt.datetime:
    """The end of ``day``: what the ledger knew at the cut-off (naive UTC)."""
    return dt.datetime.combine(day, dt.time.max)


def read_frame(
    snapshot: Snapshot,
    cutoff: dt.date,
    categories: Categories,
    settings: RiskSettings,
) -> Frame:
    """The features known at the end of ``cutoff`` and the outcome in the horizon after it."""
    sql = _SQL.format(
        features=", ".join(f"{f.sql} AS {f.name}" for f in FEATURES),
        columns=", ".join(
            f"coalesce(f.{name}, {NEVER_MONTHS if name == 'months_since_adverse' else 0.0})"
            f" AS {name}"
            if name != "capital"
            else f"coalesce(f.capital, {NO_FACT}) AS capital"
            for name in NAMES
        ),
    )
    d = categories.by_domain
    params = [
        _to_instant(cutoff), cutoff, list(categories.adverse), list(categories.serious),
        list(categories.rewards), list(d["judicial"]), list(d["commercial"]), list(d["social"]),
        list(d["government"]), list(settings.default_categories), settings.loan_category,
        settings.loan_months_overdue, cutoff + dt.timedelta(days=settings.horizon_days),
    ]  # fmt: skip
    return _frame(cutoff, query_snapshot(snapshot, sql, params))


def _frame(cutoff: dt.date, table: pa.Table) -> Frame:
    columns = [np.asarray(table.column(n).to_numpy(zero_copy_only=False), dtype=np.float64)
               for n in NAMES]  # fmt: skip
    x = np.column_stack(columns) if columns and table.num_rows else np.zeros((0, len(NAMES)))
    return Frame(
        cutoff=cutoff,
        subject=np.array(table.column("subject").to_pylist(), dtype=object),
        kind=np.array(table.column("kind").to_pylist(), dtype=object),
        x=x,
        defaulted=np.asarray(table.column("defaulted").to_pylist(), dtype=bool),
    )


__all__ = [
    "BASELINE",
    "BY_NAME",
    "FEATURES",
    "NAMES",
    "Categories",
    "Feature",
    "Frame",
    "read_frame",
]
