"""The supervision reports as pictures: Vega-Lite specs built with altair and rendered to
SVG by vl-convert, with nothing fetched (no data URL, no web font).

* officials: how each indicator's values spread over the institutions of each group
  (a box per group, one panel per indicator, each on its own scale);
* jurisdictions: the overall ranking by mean responsiveness score, and the scores each
  directive drew (a box per directive).
"""

from __future__ import annotations

from typing import Any

import altair as alt
import vl_convert

from socialcredit.supervision.jurisdictions import JurisdictionsReport
from socialcredit.supervision.officials import OfficialsReport

FONT = "Noto Sans CJK SC, WenQuanYi Micro Hei, DejaVu Sans, sans-serif"
WIDTH = 260
HEIGHT = 160


def _render(spec: dict[str, Any]) -> str:
    spec["config"] = {**spec.get("config", {}), "font": FONT}
    svg: str = vl_convert.vegalite_to_svg(spec, allowed_base_urls=[])
    return svg


def officials_spec(report: OfficialsReport) -> dict[str, Any]:
    rows = [
        {"indicator": result.indicator.title, "group": v.group, "value": v.measure.value}
        for result in report.indicators
        for v in result.units.get("institution", [])
        if v.measure.value is not None
    ]
    base = alt.Chart(
        {"values": rows},
        description="Supervision indicators of institutions: distribution by group",
    )
    chart = (
        base.mark_boxplot(extent="min-max")
        .encode(
            x=alt.X("group:N", title="institution type / level"),
            y=alt.Y("value:Q", title="value"),
            color=alt.Color("group:N", legend=None),
        )
        .properties(width=WIDTH, height=HEIGHT)
        .facet(
            facet=alt.Facet("indicator:N", title=None, header=alt.Header(labelLimit=WIDTH)),
            columns=3,
        )
        .resolve_scale(y="independent")
        .properties(title=f"Indicators {report.period.since} to {report.period.until}")
    )
    out: dict[str, Any] = chart.to_dict()
    return out


def jurisdictions_spec(report: JurisdictionsReport) -> dict[str, Any]:
    body = report.to_dict()
    ranking = [
        {"jurisdiction": f"{r['name']} ({r['jurisdiction']})", "score": r["mean_score"]}
        for r in body["ranking"]
        if r["mean_score"] is not None
    ]
    scores = [
        {"directive": d["directive"], "score": r["score"]}
        for d in body["directives"]
        for r in d["ranking"]
        if r["score"] is not None
    ]
    bars = (
        alt.Chart({"values": ranking}, title="Responsiveness ranking (mean score)")
        .mark_bar()
        .encode(
            y=alt.Y("jurisdiction:N", sort="-x", title=None),
            x=alt.X("score:Q", title="mean score", scale=alt.Scale(domain=[0, 1])),
        )
        .properties(width=2 * WIDTH, height=max(HEIGHT // 2, 18 * len(ranking)))
    )
    boxes = (
        alt.Chart({"values": scores}, title="Scores per directive")
        .mark_boxplot(extent="min-max")
        .encode(
            x=alt.X("directive:N", sort=None, title=None),
            y=alt.Y("score:Q", title="score", scale=alt.Scale(domain=[0, 1])),
        )
        .properties(width=2 * WIDTH, height=HEIGHT)
    )
    out: dict[str, Any] = alt.vconcat(bars, boxes).to_dict()
    return out


def officials_svg(report: OfficialsReport) -> str:
    return _render(officials_spec(report))


def jurisdictions_svg(report: JurisdictionsReport) -> str:
    return _render(jurisdictions_spec(report))


__all__ = ["jurisdictions_spec", "jurisdictions_svg", "officials_spec", "officials_svg"]
