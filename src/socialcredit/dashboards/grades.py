"""``grades``: how many subjects hold each grade, per scheme and the jurisdiction of the
pack that defines it (the assessments keep the latest evaluation of every subject)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, func, select

from socialcredit.dashboards.model import Cell, Chart, Column, Dashboard, zh_title
from socialcredit.policy.policy_set import PolicySet
from socialcredit.store.tables import assessments

NAME = "grades"
JURISDICTIONS = {"national": ("national", "全国")}
# an assessment without a grade names why in its status
STATUS_LABELS = {
    "no_consent": ("no consent", "未同意"),
    "out_of_scope": ("out of scope", "不在范围"),
}


def build(conn: Connection, policy: PolicySet, day: dt.date) -> Dashboard:
    a = assessments.c
    found = conn.execute(
        select(a.scheme, a.grade, a.status, func.count())
        .group_by(a.scheme, a.grade, a.status)
        .order_by(a.scheme)
    ).all()
    schemes: dict[str, tuple[str, str]] = {}
    grades: dict[str, tuple[str, str]] = {}
    keyed: list[tuple[tuple[str, int, str], tuple[Cell, ...]]] = []
    for scheme, grade, status, n in found:
        info = policy.schemes.get(scheme)
        jurisdiction = info.jurisdiction if info is not None else "—"
        if info is not None:
            schemes[scheme] = (info.scheme.title, zh_title(info.scheme))
        bands = [b.grade for b in info.scheme.bands] if info is not None else []
        if grade is None:
            label = f"({status})"
            en, zh = STATUS_LABELS.get(status, (status, status))
            grades[label] = (f"({en})", f"（{zh}）")
            rank = len(bands) + 1
        else:
            label = grade
            rank = bands.index(grade) if grade in bands else len(bands)
        keyed.append(((scheme, rank, label), (scheme, jurisdiction, label, int(n))))
    rows = tuple(row for _key, row in sorted(keyed, key=lambda item: item[0]))
    return Dashboard(
        name=NAME,
        title="Grades by scheme",
        title_zh="各评价方案的等级分布",
        note="Subjects per grade under each scheme, by their latest evaluation; "
        "the jurisdiction is that of the pack defining the scheme.",
        note_zh="按最近一次评价统计各评价方案下每个等级的主体数；辖区为定义该方案的政策包的辖区。",
        columns=(
            Column("scheme", "Scheme", "评价方案"),
            Column("jurisdiction", "Jurisdiction", "辖区"),
            Column("grade", "Grade", "等级"),
            Column("subjects", "Subjects", "主体数", "number"),
        ),
        rows=rows,
        chart=Chart("bar", x="grade", y="subjects", facet="scheme"),
        labels={"scheme": schemes, "grade": grades, "jurisdiction": JURISDICTIONS},
    )


__all__ = ["NAME", "build"]
