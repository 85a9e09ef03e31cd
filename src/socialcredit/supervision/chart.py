"""The reliability of the feeds over time as an SVG chart: a Vega-Lite spec built with
altair, rendered by vl-convert on the spot (nothing fetched: no data URL, no web font).

One line per feed, the least reliable first (at most :data:`MAX_LINES`, so that the
lines can be told apart), the score of each week on a 0-100 axis; a feed on hold is
marked in its label.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import vl_convert

from socialcredit.supervision.report import ProvidersReport

FONT = "Noto Sans CJK SC, WenQuanYi Micro Hei, DejaVu Sans, sans-serif"
MAX_LINES = 8
WIDTH, HEIGHT = 640, 300


def spec(report: ProvidersReport, lines: int = MAX_LINES) -> dict[str, Any]:
    """The chart's Vega-Lite spec: the ``lines`` least reliable feeds."""
    values: list[dict[str, object]] = []
    for feed in report.feeds[:lines]:
        label = f"{feed.feed.provider} · {feed.feed.category or '(no category)'}"
        if feed.hold:
            label += " (on hold)"
        values.extend(
            {"week": week.isoformat(), "score": score, "feed": label} for week, score in feed.series
        )
    chart = (
        alt.Chart(
            {"values": values},
            description="Reliability of the data providers' feeds, week by week",
        )
        .mark_line(point=True)
        .encode(
            x=alt.X("week:T", title="week", axis=alt.Axis(format="%Y-%m-%d", labelAngle=-30)),
            y=alt.Y("score:Q", title="reliability (0-100)", scale=alt.Scale(domain=[0, 100])),
            color=alt.Color(
                "feed:N",
                title="feed",
                legend=alt.Legend(orient="bottom", columns=1, labelLimit=600),
            ),
            tooltip=["feed:N", "week:T", "score:Q"],
        )
        .properties(width=WIDTH, height=HEIGHT, title="Data providers: reliability over time")
    )
    out: dict[str, Any] = chart.to_dict()
    out["config"] = {**out.get("config", {}), "font": FONT}
    return out


def svg(report: ProvidersReport, lines: int = MAX_LINES) -> str:
    """The chart as SVG markup."""
    rendered: str = vl_convert.vegalite_to_svg(spec(report, lines), allowed_base_urls=[])
    return rendered


__all__ = ["MAX_LINES", "spec", "svg"]
