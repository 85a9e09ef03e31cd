"""``lists``: how many entries each list had in force at the end of each of the last 24
complete months, from the entries' dates (in force: ``effective_from <= day < ends_on``,
where ``ends_on`` is the entry's end after any removal or repair; a suspension while an
appeal is pending is not subtracted)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, and_, case, func, select

from socialcredit.dashboards.model import Chart, Column, Dashboard, zh_title
from socialcredit.policy.policy_set import PolicySet
from socialcredit.store.tables import list_entries

NAME = "lists"
MONTHS = 24


def month_ends(day: dt.date, months: int = MONTHS) -> list[dt.date]:
    """The last days of the ``months`` complete months before ``day``'s month, oldest first."""
    ends: list[dt.date] = []
    end = day.replace(day=1) - dt.timedelta(days=1)
    for _ in range(months):
        ends.append(end)
        end = end.replace(day=1) - dt.timedelta(days=1)
    return ends[::-1]


def build(conn: Connection, policy: PolicySet, day: dt.date) -> Dashboard:
    e = list_entries.c
    ends = month_ends(day)
    # one pass over the entries, one sum per month
    counts = [
        func.sum(case((and_(e.effective_from <= end, e.ends_on > end), 1), else_=0)) for end in ends
    ]
    found = {
        name: [int(n or 0) for n in sums]
        for name, *sums in conn.execute(
            select(e.list, *counts)
            .where(e.effective_from <= ends[-1], e.ends_on > ends[0])
            .group_by(e.list)
        ).all()
    }
    names = sorted(set(policy.lists) | set(found))
    labels = {
        name: (info.definition.title, zh_title(info.definition))
        for name, info in policy.lists.items()
    }
    rows = tuple(
        (f"{end:%Y-%m}", name, found.get(name, [0] * len(ends))[i])
        for i, end in enumerate(ends)
        for name in names
    )
    return Dashboard(
        name=NAME,
        title="List sizes over time",
        title_zh="名单规模变化",
        note=f"Entries in force on the last day of each of the last {MONTHS} complete months.",
        note_zh=f"最近{MONTHS}个完整月份中每月最后一天有效的名单条目数。",
        columns=(
            Column("month", "Month", "月份"),
            Column("list", "List", "名单"),
            Column("entries", "Entries in force", "有效条目数", "number"),
        ),
        rows=rows,
        chart=Chart("line", x="month", y="entries", color="list"),
        labels={"list": labels},
    )


__all__ = ["MONTHS", "NAME", "build", "month_ends"]
