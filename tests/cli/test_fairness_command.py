"""``socialcredit fairness``: tables, JSON, the SVG chart and the refusals, on the
hand-made store of tests/support/fairness.py."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

import pytest
from typer.testing import CliRunner

from socialcredit.cli import app
from socialcredit.errors import InvalidOption, InvalidTime
from socialcredit.store.database import Store

from support.fairness import fill


def run(db: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["--db", db, "fairness", *args])
    return result.exit_code, result.stdout + (result.stderr or "")


def test_the_table_names_the_flagged_group(sqlite_store: Store) -> None:
    fill(sqlite_store)
    code, out = run(sqlite_store.url, "--day", "2026-03-01")
    assert code == 0, out
    assert "1 group(s) flagged:" in out
    assert "national listing: home_region 650000 (ratio 0.55)" in out


def test_json_and_the_chart(sqlite_store: Store, tmp_path: Path) -> None:
    fill(sqlite_store)
    chart = tmp_path / "fairness.svg"
    code, out = run(sqlite_store.url, "--day", "2026-03-01", "--json", "--plot", str(chart))
    assert code == 0, out
    body = json.loads(out)
    assert [f["group"] for f in body["flags"]] == ["650000"]
    assert body["plot"] == str(chart)
    root = ElementTree.fromstring(chart.read_text("utf-8"))
    assert root.tag == "{http://www.w3.org/2000/svg}svg"


def test_a_bad_day_is_refused(sqlite_store: Store) -> None:
    with pytest.raises(InvalidTime, match="--day"):
        CliRunner().invoke(app, ["--db", sqlite_store.url, "fairness", "--day", "1 March"],
                           catch_exceptions=False)  # fmt: skip


def test_an_unwritable_plot_is_refused(sqlite_store: Store, tmp_path: Path) -> None:
    fill(sqlite_store)
    where = str(tmp_path)  # a directory: no file can be written there
    with pytest.raises(InvalidOption, match="--plot"):
        CliRunner().invoke(app, ["--db", sqlite_store.url, "fairness", "--plot", where],
                           catch_exceptions=False)  # fmt: skip
