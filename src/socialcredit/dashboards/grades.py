"""``grades``: how many subjects hold each grade, per scheme and area (the assessments keep
the latest evaluation of every subject, with the subject's area on that day: where its
registry records place it, never what its identifier's digits say)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, func, select

from socialcredit.dashboards.model import Cell, Chart, Column, Dashboard, zh_title
from socialcredit.identifiers import area_name
from socialcredit.policy.policy_set import PolicySet
from socialcredit.store.tables import assessments

NAME = "grades"
NOWHERE = "—"  # no registry record places the subject
# an assessment without a grade names why in its status
STATUS_LABELS = {
    "no_consent": ("no consent", "未同意"),
    "out_of_scope": ("out of scope", "不在范围"),
}


def build(conn: Connection, policy: PolicySet, day: dt.date) -> Dashboard:
    a = assessments.c
    found = conn.execute(
        select(a.scheme, a.area, a.grade, a.status, func.count())
        .group_by(a.scheme, a.area, a.grade, a.status)
        .order_by(a.scheme)
    ).all()
    schemes: dict[str, tuple[str, str]] = {}
    grades: dict[str, tuple[str, str]] = {}
    areas: dict[str, tuple[str, str]] = {NOWHERE: ("no area on record", "无住所或登记地记录")}
    keyed: list[tuple[tuple[str, str, int, str], tuple[Cell, ...]]] = []
    for scheme, code, grade, status, n in found:
        info = policy.schemes.get(scheme)
        area = code or NOWHERE
        if code and code not in areas:
            named = f"{code} {area_name(code) or ''}".strip()
            areas[code] = (named, named)
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
        keyed.append(((scheme, area, rank, label), (scheme, area, label, int(n))))
    rows = tuple(row for _key, row in sorted(keyed, key=lambda item: item[0]))
    return Dashboard(
        name=NAME,
        title="Grades by scheme and area",
        title_zh="各评价方案分地区的等级分布",
        note="Subjects per grade under each scheme and area, by their latest evaluation; "
        "the area is where the subject's registry records placed it on that day.",
        note_zh="按最近一次评价统计各评价方案下各地区每个等级的主体数；地区为当日住所或登记记录所在地。",
        columns=(
            Column("scheme", "Scheme", "评价方案"),
            Column("area", "Area", "地区"),
            Column("grade", "Grade", "等级"),
            Column("subjects", "Subjects", "主体数", "number"),
        ),
        rows=rows,
        chart=Chart("bar", x="grade", y="subjects", color="area", facet="scheme"),
        labels={"scheme": schemes, "grade": grades, "area": areas},
    )


__all__ = ["NAME", "build"]
