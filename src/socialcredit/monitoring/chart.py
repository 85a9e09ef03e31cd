"""The fairness report as a picture: each group's disparity ratio against the
population, one panel per scheme and outcome, with the pack's threshold as a rule; a
flagged group drawn in red. A Vega-Lite spec built with altair, rendered to SVG by
vl-convert with nothing fetched (as supervision/charts.py)."""

from __future__ import annotations

from typing import Any

import altair as alt
import vl_convert

from socialcredit.monitoring.fairness import FairnessReport

FONT = "Noto Sans CJK SC, WenQuanYi Micro Hei, DejaVu Sans, sans-serif"


def spec(report: FairnessReport) -> dict[str, Any]:
    rows = [
        {
            "panel": f"{o.scheme}: {o.outcome}",
            "group": f"{g.dimension} {g.group}",
            "ratio": round(g.ratio, 4),
            "flag": "flagged" if g.flagged else "not flagged",
        }
        for o in report.outcomes
        for g in o.groups
        if g.ratio is not None
    ]
    threshold = report.settings.threshold
    base = alt.Chart(
        {"values": rows},
        description="Outcome monitoring: disparity ratio of each group against the population",
    )
    points = base.mark_point(filled=True, size=40).encode(
        x=alt.X("ratio:Q", title="population rate / group rate", scale=alt.Scale(type="log")),
        y=alt.Y("group:N", title=None, sort="ascending"),
        color=alt.Color(
            "flag:N",
            scale=alt.Scale(domain=["flagged", "not flagged"], range=["#c0392b", "#7f8c8d"]),
            title=None,
        ),
    )
    rule = base.mark_rule(strokeDash=[4, 3]).encode(x=alt.datum(threshold))
    chart = (
        alt.layer(points, rule)
        .properties(width=260, height=alt.Step(9))
        .facet(facet=alt.Facet("panel:N", title=None), columns=2)
        .resolve_scale(y="independent")
        .properties(title=f"Outcome monitoring on {report.day} (threshold {threshold:g})")
    )
    out: dict[str, Any] = chart.to_dict()
    out["config"] = {**out.get("config", {}), "font": FONT}
    return out


def svg(report: FairnessReport) -> str:
    rendered: str = vl_convert.vegalite_to_svg(spec(report), allowed_base_urls=[])
    return rendered


__all__ = ["spec", "svg"]
