"""The funnel plot: each judge's deviation index against the number of cases, with
control limits (Spiegelhalter, D. J. (2005), "Funnel plots for comparing institutional
performance", Statistics in Medicine 24(8): 1185-1202).

Deviation scores have unit standard deviation, so under no deviation a judge's mean of
n scores has standard error ``1 / sqrt(n)``: the limits at coverage c are
``± z((1 + c) / 2) / sqrt(n)`` -- about 1.96 (95%) and 3.09 (99.8%) standard errors.
The chart is a Vega-Lite spec built with altair and rendered to SVG by vl-convert
(nothing fetched, no script).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import altair as alt
import numpy as np
import vl_convert
from scipy import stats

from socialcredit.supervision.deviation import JudgeIndex

COVERAGES = (0.95, 0.998)
FONT = "Noto Sans CJK SC, WenQuanYi Micro Hei, DejaVu Sans, sans-serif"


def limit(cases: int | float, coverage: float) -> float:
    """The half-width of the control limit at ``cases`` decisions and ``coverage``."""
    if cases < 1:
        raise ValueError("a control limit needs at least one case")
    return float(stats.norm.ppf((1 + coverage) / 2) / np.sqrt(cases))


def limit_lines(low: int, high: int, points: int = 60) -> list[dict[str, Any]]:
    """The control limits as rows for the chart, from ``low`` to ``high`` cases."""
    grid = np.unique(np.geomspace(max(1, low), max(low + 1, high), points).round(2))
    rows: list[dict[str, Any]] = []
    for coverage in COVERAGES:
        label = f"{coverage:.1%}".replace(".0%", "%")
        for sign, side in ((1, "upper"), (-1, "lower")):
            rows.extend(
                {"cases": float(n), "limit": sign * limit(n, coverage), "line": f"{label} {side}"}
                for n in grid
            )
    return rows


def spec(judges: Sequence[JudgeIndex], title: str = "Judges: deviation index") -> dict[str, Any]:
    """The funnel plot's Vega-Lite spec."""
    points = [
        {
            "judge": j.judge,
            "cases": j.cases,
            "index": round(j.index, 4),
            "status": "flagged" if j.flagged else "not flagged",
        }
        for j in judges
    ]
    counts = [j.cases for j in judges] or [1]
    lines = (
        alt.Chart({"values": limit_lines(min(counts), max(counts))})
        .mark_line(strokeDash=[4, 3], color="#888888")
        .encode(
            x=alt.X("cases:Q", title="decisions"),
            y=alt.Y("limit:Q", title="deviation index (mean standardised residual)"),
            detail="line:N",
        )
    )
    dots = (
        alt.Chart({"values": points})
        .mark_circle(size=60)
        .encode(
            x="cases:Q",
            y="index:Q",
            color=alt.Color(
                "status:N",
                scale=alt.Scale(domain=["flagged", "not flagged"], range=["#c0392b", "#2c3e50"]),
                legend=alt.Legend(title=None, orient="bottom"),
            ),
            tooltip=["judge:N", "cases:Q", "index:Q", "status:N"],
        )
    )
    chart = alt.layer(lines, dots).properties(
        width=520,
        height=300,
        title=title,
        description="Funnel plot: each judge's deviation index against the number of "
        "decisions, with 95% and 99.8% control limits",
    )
    out: dict[str, Any] = chart.to_dict()
    out["config"] = {**out.get("config", {}), "font": FONT}
    return out


def svg(judges: Sequence[JudgeIndex], title: str = "Judges: deviation index") -> str:
    """The funnel plot as an SVG document."""
    rendered: str = vl_convert.vegalite_to_svg(spec(judges, title), allowed_base_urls=[])
    return rendered


__all__ = ["COVERAGES", "limit", "limit_lines", "spec", "svg"]
