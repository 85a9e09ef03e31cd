"""The funnel plot's control limits and its SVG."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest

from socialcredit.supervision.deviation import JudgeIndex
from socialcredit.supervision.funnel import limit, limit_lines, svg


def test_limits_are_1_96_and_3_09_standard_errors_of_a_mean_of_unit_scores() -> None:
    assert limit(100, 0.95) == pytest.approx(0.19600, abs=1e-4)
    assert limit(100, 0.998) == pytest.approx(0.30902, abs=1e-4)
    assert limit(25, 0.95) == pytest.approx(1.95996 / 5, abs=1e-5)


def test_the_funnel_narrows_as_cases_grow() -> None:
    upper = [r for r in limit_lines(10, 400) if r["line"] == "95% upper"]
    values = [r["limit"] for r in sorted(upper, key=lambda r: r["cases"])]
    assert values == sorted(values, reverse=True)
    assert {r["line"] for r in limit_lines(10, 400)} == {
        "95% upper", "95% lower", "99.8% upper", "99.8% lower",
    }  # fmt: skip


def test_a_limit_needs_a_case() -> None:
    with pytest.raises(ValueError):
        limit(0, 0.95)


def _judge(name: str, cases: int, index: float, flagged: bool) -> JudgeIndex:
    return JudgeIndex(name, cases, index, index - 0.1, index + 0.1, 0.01, 0.02, flagged)


def test_the_svg_draws_every_judge_and_fetches_nothing() -> None:
    markup = svg([_judge("A", 40, 0.8, True), _judge("B", 50, 0.02, False)])
    root = ElementTree.fromstring(markup)
    assert root.tag.endswith("svg")
    assert "flagged" in markup and "not flagged" in markup
    assert "<script" not in markup and "http://" not in markup.replace("http://www.w3.org", "")
