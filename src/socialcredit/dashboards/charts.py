"""A dashboard's chart: a Vega-Lite spec built with altair, rendered to SVG on the server
with vl-convert (no browser script, nothing fetched: no data URL, no web font).

The SVG is meant to be inlined in a page: :func:`svg` drops the XML namespace
declarations (HTML puts an ``<svg>`` in the SVG namespace by itself), so the markup
names no URL at all, and :func:`require_safe` refuses output that could carry script
or refer to anything outside the picture."""

from __future__ import annotations

import re
from html import escape
from typing import Any
from xml.etree import ElementTree

import altair as alt
import vl_convert

from socialcredit.dashboards.model import Dashboard

# fonts installed with the system; the SVG names the family and the browser picks it
FONT = "Noto Sans CJK SC, WenQuanYi Micro Hei, DejaVu Sans, sans-serif"
WIDTH = 520
HEIGHT = 260
# the roles and names Vega gives marks and axes: the <svg> is one image, named by
# inline(), and the table beside it carries the figures
_INNER_ROLES = re.compile(r'\s(?:role|aria-[a-z]+)="[^"]*"')
_NAMESPACES = re.compile(r'\s+xmlns(?::\w+)?="[^"]*"')
# what a chart is drawn with; anything else (script, links, images, foreign content)
# is refused, as is an attribute that runs script or refers outside the picture
ELEMENTS = frozenset({"svg", "g", "path", "line", "rect", "text", "circle", "title", "defs",
                      "clipPath", "tspan"})  # fmt: skip
_OUTSIDE = re.compile(r"url\((?!#)|javascript:", re.IGNORECASE)


class UnsafeChart(RuntimeError):
    """A rendered chart that carries script or names a URL (never expected)."""


def _encoding(board: Dashboard, name: str, kind: str, chinese: bool, **extra: Any) -> Any:
    column = board.column(name)
    return {"field": name, "type": kind, "title": column.label(chinese), **extra}


def spec(board: Dashboard, chinese: bool) -> dict[str, Any]:
    """The Vega-Lite spec of the dashboard's chart, labelled in the page's language."""
    shown = [
        {key: board.shown(key, value, chinese) for key, value in row.items()}
        for row in board.records()
    ]
    chart = board.chart
    # short category labels read level; months and actions are turned
    level = chart.mark == "bar" and chart.color is None and chart.facet is None
    axis = alt.Axis(labelAngle=0) if level else alt.Axis()
    encoding: dict[str, Any] = {
        "x": alt.X(**_encoding(board, chart.x, "ordinal", chinese, sort=None), axis=axis),
        "y": alt.Y(**_encoding(board, chart.y, "quantitative", chinese), axis=_counts(board)),
        "tooltip": [
            alt.Tooltip(**_encoding(board, c.name, "nominal", chinese)) for c in board.columns
        ],
    }
    if chart.color is not None:
        encoding["color"] = alt.Color(
            **_encoding(board, chart.color, "nominal", chinese),
            legend=alt.Legend(orient="bottom", columns=2, labelLimit=WIDTH // 2 - 30),
        )
    base = alt.Chart({"values": shown}, description=_description(board, chinese))
    mark = base.mark_line(point=True) if chart.mark == "line" else base.mark_bar()
    if chart.facet is not None:
        faceted = (
            mark.encode(**encoding)
            .properties(width=WIDTH // 2 - 60, height=HEIGHT // 2)
            .facet(
                facet=alt.Facet(
                    **_encoding(board, chart.facet, "nominal", chinese),
                    header=alt.Header(labelLimit=WIDTH // 2 - 10),
                ),
                columns=2,
            )
            .resolve_scale(x="independent", y="independent")
        )
        out: dict[str, Any] = faceted.to_dict()
    else:
        out = mark.encode(**encoding).properties(width=WIDTH, height=HEIGHT).to_dict()
    out["config"] = {**out.get("config", {}), "font": FONT}
    return out


def _counts(board: Dashboard) -> Any:
    """A count axis: whole numbers, one tick each while they are few."""
    chart = board.chart
    stacks: dict[Any, int] = {}  # the bars of one category stack up; points do not
    for x, y in zip(board.column_values(chart.x), board.column_values(chart.y), strict=True):
        n = y if isinstance(y, int) else 0
        stacks[x] = stacks.get(x, 0) + n if chart.mark == "bar" else max(stacks.get(x, 0), n)
    top = max(stacks.values(), default=0)
    if chart.facet is None and top <= 5:
        return alt.Axis(format=",d", values=list(range(top + 1)))
    return alt.Axis(format=",d")


def _description(board: Dashboard, chinese: bool) -> str:
    return f"{board.heading(chinese)}: {board.explanation(chinese)}"


def svg(board: Dashboard, chinese: bool) -> str:
    """The chart as SVG markup to inline in a page."""
    rendered = vl_convert.vegalite_to_svg(spec(board, chinese), allowed_base_urls=[])
    return inline(rendered, board.name, _description(board, chinese))


def inline(rendered: str, name: str, label: str) -> str:
    """SVG markup as a page inlines it: its namespace declarations dropped, checked by
    :func:`require_safe`, with ``label`` as its accessible name (the table beside it
    carries the figures). Also for charts drawn elsewhere and kept, such as the saved
    supervision reports."""
    markup = _NAMESPACES.sub("", rendered.strip())
    if not markup.startswith("<svg "):
        raise UnsafeChart(f"the chart of {name} is not an <svg> element")
    require_safe(markup, name)
    markup = _INNER_ROLES.sub("", markup)
    return f'<svg role="img" aria-label="{escape(label, quote=True)}" {markup[len("<svg ") :]}'


def require_safe(markup: str, name: str) -> None:
    """Refuse SVG markup that could run script or fetch anything: only drawing
    elements, no event handler, no link, no reference outside the picture. Text from
    the data is escaped by the renderer and is only ever text here."""
    try:
        root = ElementTree.fromstring(markup)
    except ElementTree.ParseError as exc:
        raise UnsafeChart(f"the chart of {name} is not well-formed SVG: {exc}") from exc
    for element in root.iter():
        if element.tag not in ELEMENTS:
            raise UnsafeChart(f"the chart of {name} has a <{element.tag}> element")
        for attribute, value in element.attrib.items():
            lowered = attribute.lower()
            if lowered.startswith("on") or "href" in lowered or lowered == "src":
                raise UnsafeChart(f"the chart of {name} has a {attribute} attribute")
            if _OUTSIDE.search(value):
                raise UnsafeChart(f"the chart of {name} refers outside the picture")


__all__ = ["ELEMENTS", "FONT", "UnsafeChart", "inline", "require_safe", "spec", "svg"]
