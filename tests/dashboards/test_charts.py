"""Charts: Vega-Lite specs labelled in the page's language, rendered to SVG that names
no URL, carries no script and has an accessible name."""

from __future__ import annotations

import re
from typing import Any

import pytest

from socialcredit.dashboards.charts import FONT, UnsafeChart, require_safe, spec, svg
from socialcredit.dashboards.model import Chart, Column, Dashboard


def board(*rows: tuple[str, str, int], name: str = "sample") -> Dashboard:
    return Dashboard(
        name=name,
        title="Sample",
        title_zh="示例",
        note="Counts.",
        note_zh="计数。",
        columns=(
            Column("month", "Month", "月份"),
            Column("list", "List", "名单"),
            Column("entries", "Entries", "条目数", "number"),
        ),
        rows=rows,
        chart=Chart("line", x="month", y="entries", color="list"),
        labels={"list": {"black": ("Blacklist", "黑名单")}},
    )


def values(chart: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows the spec carries (altair keeps inline rows as a named dataset)."""
    assert "url" not in chart["data"]
    found: list[dict[str, Any]] = chart["datasets"][chart["data"]["name"]]
    return found


def test_the_spec_is_labelled_in_the_language_with_a_system_font() -> None:
    rows = (("2026-01", "black", 3), ("2026-02", "black", 4))
    chinese = spec(board(*rows), chinese=True)
    assert chinese["encoding"]["x"]["title"] == "月份"
    assert chinese["encoding"]["y"]["title"] == "条目数"
    assert {v["list"] for v in values(chinese)} == {"黑名单"}
    assert chinese["config"]["font"] == FONT
    english = spec(board(*rows), chinese=False)
    assert english["encoding"]["color"]["title"] == "List"
    assert {v["list"] for v in values(english)} == {"Blacklist"}


def test_the_svg_has_marks_an_accessible_name_and_no_url_or_script() -> None:
    markup = svg(board(("2026-01", "black", 3), ("2026-02", "black", 4)), chinese=True)
    assert markup.startswith('<svg role="img" aria-label="示例: 计数。"')
    assert "<path" in markup and "黑名单" in markup
    assert not re.search(r"https?:|<script|\son\w+=|href", markup, re.IGNORECASE)


def test_text_from_the_data_is_escaped_and_cannot_smuggle_script() -> None:
    markup = svg(board(("2026-01", "<script>alert(1)</script>", 1)), chinese=False)
    assert "<script" not in markup and "&lt;script&gt;" in markup


def test_an_empty_dashboard_still_draws_its_axes() -> None:
    assert "<svg" in svg(board(), chinese=False)


def test_a_url_in_the_data_is_only_text() -> None:
    markup = svg(board(("2026-01", "see https://example.org", 1)), chinese=False)
    assert "href" not in markup and "see https://example.org</text>" in markup


@pytest.mark.parametrize(
    "markup",
    [
        "<svg><script>alert(1)</script></svg>",
        '<svg><g onload="alert(1)"/></svg>',
        '<svg><a href="https://example.org"><text>x</text></a></svg>',
        '<svg><image href="https://example.org/x.png"/></svg>',
        '<svg><rect fill="url(https://example.org/p)"/></svg>',
        '<svg><foreignObject><div xmlns="http://www.w3.org/1999/xhtml"/></foreignObject></svg>',
        "<svg><g>",
    ],
)
def test_markup_that_could_run_script_or_fetch_is_refused(markup: str) -> None:
    with pytest.raises(UnsafeChart):
        require_safe(markup, "sample")


def test_a_clip_inside_the_picture_is_allowed() -> None:
    require_safe('<svg><defs><clipPath id="c"><rect/></clipPath></defs>'
                 '<g clip-path="url(#c)"><path d="M0,0"/></g></svg>', "sample")  # fmt: skip


def test_few_counts_get_one_whole_tick_each_stacked_bars_summed() -> None:
    bars = Dashboard(
        name="bars",
        title="Bars",
        title_zh="柱",
        note=".",
        note_zh="。",
        columns=(Column("who", "Who", "谁"), Column("n", "N", "数", "number")),
        rows=(("a", 2), ("a", 1), ("b", 1)),
        chart=Chart("bar", x="who", y="n", color="who"),
    )
    assert spec(bars, chinese=False)["encoding"]["y"]["axis"]["values"] == [0, 1, 2, 3]
    line = spec(board(("2026-01", "black", 2), ("2026-02", "black", 4)), chinese=False)
    assert line["encoding"]["y"]["axis"]["values"] == [0, 1, 2, 3, 4]
    many = spec(board(("2026-01", "black", 2000)), chinese=False)
    assert "values" not in many["encoding"]["y"]["axis"]
