"""``denials``: checks that were denied, by relying party and action, over the last 365
days (the daily counts every decision adds to, allows included, so the share is exact
even where the decision log keeps only a sample of the allows)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, case, func, select

from socialcredit.dashboards.model import Cell, Chart, Column, Dashboard
from socialcredit.policy.policy_set import PolicySet
from socialcredit.store.tables import decision_counts

NAME = "denials"
DAYS = 365
DENY = "deny"


def build(conn: Connection, policy: PolicySet, day: dt.date) -> Dashboard:
    d = decision_counts.c
    denied = func.sum(case((d.outcome == DENY, d.n), else_=0))
    found = conn.execute(
        select(d.requester, d.action, func.sum(d.n), denied)
        .where(d.day > day - dt.timedelta(days=DAYS), d.day <= day)
        .group_by(d.requester, d.action)
        .order_by(d.requester, d.action)
    ).all()
    rows: list[tuple[Cell, ...]] = []
    for requester, action, checks, refused in found:
        total, no = int(checks or 0), int(refused or 0)
        rows.append((requester, action, total, no, round(no / total, 4) if total else None))
    return Dashboard(
        name=NAME,
        title="Denied checks",
        title_zh="被拒绝的查询",
        note=f"Checks and denials by relying party and action over the last {DAYS} days.",
        note_zh=f"最近{DAYS}天内按依赖方和行为统计的查询次数和拒绝次数。",
        columns=(
            Column("requester", "Relying party", "依赖方"),
            Column("action", "Action", "行为"),
            Column("checks", "Checks", "查询次数", "number"),
            Column("denied", "Denied", "拒绝次数", "number"),
            Column("denied_share", "Share denied", "拒绝比例", "ratio"),
        ),
        rows=tuple(rows),
        chart=Chart("bar", x="action", y="denied", color="requester"),
    )


__all__ = ["DAYS", "NAME", "build"]
