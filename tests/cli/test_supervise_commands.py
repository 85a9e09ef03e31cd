"""``socialcredit supervise judges`` and ``socialcredit justifications``: the report as
JSON with the funnel plot, and a flagged decision taken through its review."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from socialcredit.cli import app
from socialcredit.errors import InvalidTime
from socialcredit.store.database import Store
from socialcredit.supervision.errors import FeedOff

from support.judges import BIASED, COURT_PROVIDER, court_system, outlier_id


def _run(store: Store, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["--db", store.url, *args])
    return result.exit_code, result.stdout


def test_the_report_as_json_and_the_funnel_as_svg(sqlite_store: Store, tmp_path: Path) -> None:
    court_system(sqlite_store)
    plot = tmp_path / "funnel.svg"
    code, text = _run(sqlite_store, "supervise", "judges", "--json", "--plot", str(plot))
    assert code == 0, text
    body = json.loads(text)
    assert [j["judge"] for j in body["judges"] if j["flagged"]] == [BIASED]
    assert body["plot"] == str(plot)
    assert plot.read_text("utf-8").startswith("<svg") and plot.stat().st_mode & 0o077 == 0
    code, text = _run(sqlite_store, "supervise", "judges")
    assert code == 0 and "flagged decisions (1)" in text


def test_a_bad_day_is_an_input_error(sqlite_store: Store) -> None:
    result = CliRunner().invoke(app, ["--db", sqlite_store.url, "supervise", "judges",
                                      "--since", "2025-13-01"])  # fmt: skip
    assert isinstance(result.exception, InvalidTime) and result.exception.exit_code == 2


def test_request_answer_decide_and_the_feed_refused(sqlite_store: Store) -> None:
    court_system(sqlite_store)
    code, text = _run(sqlite_store, "justifications", "request", "--json")
    assert code == 0, text
    [case] = json.loads(text)["opened"]
    assert case["target"] == outlier_id() and case["next"]["action"] == "justify"
    code, text = _run(sqlite_store, "cases", "--json")
    assert [c["kind"] for c in json.loads(text)] == ["justification"]
    code, text = _run(
        sqlite_store, "justifications", "answer", case["case"], "--text", "reoffended",
        "--provider", COURT_PROVIDER, "--json",
    )  # fmt: skip
    assert code == 0 and json.loads(text)["case"]["state"] == "answered"
    code, text = _run(
        sqlite_store, "justifications", "decide", case["case"], "--outcome", "unjustified",
        "--reasons", "no reason given in the judgment", "--json",
    )  # fmt: skip
    assert code == 0 and json.loads(text)["case"]["outcome"] == "unjustified"
    result = CliRunner().invoke(app, ["--db", sqlite_store.url, "justifications", "feed"])
    assert isinstance(result.exception, FeedOff) and result.exception.code == "feed_off"
