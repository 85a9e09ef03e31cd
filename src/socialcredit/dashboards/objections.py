"""``objections``: objections by the outcome of their (first) decision, and how many were
decided on time: on or before ``review_by``, the last day the filing set on the
working-day calendar. Open objections count as ``pending``; their on-time figure is
empty. Filings and decisions withdrawn or superseded in the ledger do not count."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, case, exists, func, select
from sqlalchemy.sql.expression import Select

from socialcredit.dashboards.model import Cell, Chart, Column, Dashboard
from socialcredit.dashboards.sql import json_date, json_text
from socialcredit.policy.policy_set import PolicySet
from socialcredit.remedies import steps as s
from socialcredit.store.tables import records

NAME = "objections"
PENDING = "pending"
OUTCOME_LABELS = {
    "upheld": ("upheld", "维持"),
    "corrected": ("corrected", "更正"),
    "withdrawn": ("withdrawn", "撤销"),
    PENDING: ("pending", "未决定"),
}


def _current(category: str) -> Select[tuple[str, str, dt.date, str]]:
    """The platform's current records of a category: neither withdrawn nor superseded."""
    later = records.alias("later")
    replaced = exists().where(later.c.supersedes == records.c.id)  # by ix_records_supersedes
    return select(records.c.id, records.c.ref, records.c.occurred_at, records.c.attributes).where(
        records.c.provider == s.PLATFORM,
        records.c.category == category,
        records.c.withdrawn.is_(False),
        ~replaced,
    )


def build(conn: Connection, policy: PolicySet, day: dt.date) -> Dashboard:
    filed = _current(s.OBJECTION_FILED).subquery("filed")
    decided = _current(s.OBJECTION_DECIDED).subquery("decided")
    outcome = func.coalesce(json_text(conn, decided.c.attributes, "outcome"), PENDING)
    on_time = case(
        (decided.c.occurred_at <= json_date(conn, filed.c.attributes, "review_by"), 1), else_=0
    )
    found = conn.execute(
        select(outcome, func.count(), func.sum(on_time))
        .select_from(
            filed.outerjoin(decided, json_text(conn, decided.c.attributes, "case") == filed.c.ref)
        )
        .group_by(outcome)
    ).all()
    counts = {str(name): (int(n), int(in_time or 0)) for name, n, in_time in found}
    order = [*OUTCOME_LABELS, *sorted(set(counts) - set(OUTCOME_LABELS))]
    rows: list[tuple[Cell, ...]] = []
    for name in order:
        if name not in counts:
            continue
        n, in_time = counts[name]
        if name == PENDING:
            rows.append((name, n, None, None))
        else:
            rows.append((name, n, in_time, round(in_time / n, 4) if n else None))
    return Dashboard(
        name=NAME,
        title="Objection outcomes",
        title_zh="异议处理结果",
        note="Objections by the outcome of their decision, and how many were decided "
        "by the working-day deadline set when they were filed.",
        note_zh="按决定结果统计的异议数量，以及在受理时确定的工作日期限内作出决定的数量。",
        columns=(
            Column("outcome", "Outcome", "结果"),
            Column("objections", "Objections", "异议数", "number"),
            Column("on_time", "Decided on time", "按期决定", "number"),
            Column("on_time_rate", "On-time rate", "按期率", "ratio"),
        ),
        rows=tuple(rows),
        chart=Chart("bar", x="outcome", y="objections"),
        labels={"outcome": dict(OUTCOME_LABELS)},
    )


__all__ = ["NAME", "PENDING", "build"]
