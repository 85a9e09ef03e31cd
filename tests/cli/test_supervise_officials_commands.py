"""`socialcredit supervise officials|jurisdictions`: tables, JSON, the SVG figures and
the refusals, end to end on a small store."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

import pytest
from typer.testing import CliRunner

from socialcredit.cli import app
from socialcredit.errors import InvalidOption, InvalidTime
from socialcredit.ledger.record import record_id
from socialcredit.store.database import Store

from support.supervision import (
    INST_A,
    INST_C,
    MARKET_B,
    PROCUREMENT,
    SUP1,
    SUPERVISION,
    award,
    ingest,
    licence,
    record,
    setup,
    units,
)

SVG = "{http://www.w3.org/2000/svg}svg"


@pytest.fixture
def db(sqlite_store: Store) -> str:
    store = sqlite_store
    setup(store)
    ingest(
        store,
        *units(),
        award(INST_A, "A-1", "2025-06-01", SUP1, 300_000, "single_source"),
        award(INST_A, "A-2", "2025-07-01", SUP1, 300_000, "single_source"),
        award(INST_A, "A-3", "2025-08-01", SUP1, 300_000, "single_source"),
        award(INST_C, "C-1", "2025-08-01", SUP1, 1_900_000),
        record(
            SUPERVISION, "d1", INST_C, "government.directive", "2025-05-06",
            directive="威政办字〔2025〕1号", task="data_reporting",
            target="market.administrative_licence", jurisdiction="371002",
            deadline="2025-06-30",
        ),
        licence(MARKET_B, "环许1", "2025-06-02", reported="2025-06-03"),
    )  # fmt: skip
    return store.url


def run(db: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["--db", db, "supervise", *args], catch_exceptions=False)
    return result.exit_code, result.stdout


def test_officials_as_tables_with_the_flagged_units(db: str) -> None:
    code, shown = run(db, "officials", "--since", "2025-01-01", "--until", "2025-12-31")
    assert code == 0, shown
    assert "Repeated single-source awards to one supplier" in shown
    flat = " ".join(shown.split())
    assert "(institutions: 1 of 4 above zero)" in flat
    assert "no list entry, measure or score" in flat


def test_officials_as_json_for_one_indicator(db: str) -> None:
    code, shown = run(db, "officials", "--indicator", "single_source_repeated", "--json",
                      "--since", "2025-01-01")  # fmt: skip
    assert code == 0
    body = json.loads(shown)
    [ind] = body["indicators"]
    units_ = {u["unit"]: u for u in ind["units"]["institution"]}
    assert units_[INST_A]["value"] == 1
    assert units_[INST_A]["flags"][0]["records"][0] == record_id(PROCUREMENT, "A-1")


def test_the_figures_are_drawn_to_an_svg_file(db: str, tmp_path: Path) -> None:
    plot = tmp_path / "officials.svg"
    code, shown = run(db, "officials", "--since", "2025-01-01", "--plot", str(plot))
    assert code == 0 and f"chart written to {plot}" in shown.replace("\n", "")
    assert plot.stat().st_mode & 0o077 == 0  # the group's charts are their owner's only
    root = ElementTree.fromstring(plot.read_text(encoding="utf-8"))
    assert root.tag == SVG
    text = "".join(root.itertext())
    assert "Repeated single-source awards to one supplier" in text
    assert "government/county" in text


def test_jurisdictions_ranking_as_json_and_svg(db: str, tmp_path: Path) -> None:
    plot = tmp_path / "jurisdictions.svg"
    code, shown = run(db, "jurisdictions", "--since", "2025-01-01", "--json", "--plot",
                      str(plot))  # fmt: skip
    assert code == 0
    body = json.loads(shown)
    [d] = body["directives"]
    assert d["ranking"][0]["implemented"] == "2025-06-03"
    assert body["ranking"][0]["jurisdiction"] == "371002"
    text = "".join(ElementTree.fromstring(plot.read_text(encoding="utf-8")).itertext())
    assert "Responsiveness ranking" in text and "威政办字〔2025〕1号" in text


def test_jurisdictions_as_tables(db: str) -> None:
    code, shown = run(db, "jurisdictions", "--since", "2025-01-01")
    flat = " ".join(shown.split())
    assert code == 0 and "responsiveness, directives issued 2025-01-01" in flat
    assert "no list entry, measure or score" in flat


def test_a_day_that_is_not_one_is_refused(db: str) -> None:
    with pytest.raises(InvalidTime, match="--since"):
        run(db, "officials", "--since", "2025-13-01")


def test_an_unknown_indicator_is_refused(db: str) -> None:
    with pytest.raises(InvalidOption, match="no indicator named bribes"):
        run(db, "officials", "--indicator", "bribes")


def test_a_figure_file_that_cannot_be_written_is_refused(db: str, tmp_path: Path) -> None:
    with pytest.raises(InvalidOption, match="--plot: cannot write") as caught:
        run(db, "jurisdictions", "--plot", str(tmp_path))  # a folder
    assert caught.value.code == "invalid_option"
    nested = tmp_path / "new" / "officials.svg"  # missing folders are made, private
    code, _shown = run(db, "officials", "--since", "2025-01-01", "--plot", str(nested))
    assert code == 0 and nested.exists() and nested.parent.stat().st_mode & 0o077 == 0


@pytest.mark.skipif(not Path("/proc/version").exists(), reason="needs a file no one may write")
def test_a_figure_that_fails_to_write_is_refused(db: str) -> None:
    with pytest.raises(InvalidOption, match="--plot: cannot write /proc/version"):
        run(db, "officials", "--plot", "/proc/version")
