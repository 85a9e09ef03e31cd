"""``socialcredit supervise <kind> --save``: the run kept for the supervisors' page with
the report ``--json`` prints and the chart ``--plot`` writes; a refused ``--plot`` saves
nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from socialcredit.cli import app
from socialcredit.errors import InvalidOption
from socialcredit.store.database import Store
from socialcredit.store.verify import verify
from socialcredit.supervision.saved import latest_of, runs

from support.holds import quiet_history
from support.judges import BIASED, court_system


def _run(store: Store, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["--db", store.url, "supervise", *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout


def test_judges_saved_with_the_report_and_the_chart_the_cli_prints(
    sqlite_store: Store, tmp_path: Path
) -> None:
    court_system(sqlite_store)
    plot = tmp_path / "funnel.svg"
    code, text = _run(sqlite_store, "judges", "--save", "--json", "--plot", str(plot),
                      "--since", "2025-01-01")  # fmt: skip
    assert code == 0, text
    body = json.loads(text)
    saved = latest_of(sqlite_store, "judges")
    assert saved is not None and saved.intact and body["saved"]["id"] == saved.id
    assert saved.svg == plot.read_text(encoding="utf-8")  # one chart, drawn once
    printed = {k: v for k, v in body.items() if k not in ("plot", "saved")}
    assert saved.report == printed and "plot" not in saved.report
    assert [j["judge"] for j in saved.report["judges"] if j["flagged"]] == [BIASED]
    assert saved.parameters == {"known_at": None, "since": "2025-01-01", "until": None}
    assert body["saved"]["known_at"] == saved.report["known_at"] + "+00:00"
    with sqlite_store.reader() as conn:
        assert verify(conn).ok


def test_providers_saved_from_the_table_view(sqlite_store: Store) -> None:
    quiet_history(sqlite_store)
    code, text = _run(sqlite_store, "providers", "--save", "--at", "2026-03-02", "--weeks", "8")
    assert code == 0, text
    [run] = runs(sqlite_store, "providers")
    assert f"saved as {run['id']}: shown on /dashboards/supervision" in " ".join(text.split())
    assert run["parameters"] == {"at": "2026-03-02", "weeks": 8}
    saved = latest_of(sqlite_store, "providers")
    assert saved is not None and saved.report["feeds"][0]["provider"] == "spc.national"
    assert saved.svg.startswith("<svg") and "<path" in saved.svg


def test_without_save_nothing_is_kept(sqlite_store: Store) -> None:
    quiet_history(sqlite_store)
    code, _text = _run(sqlite_store, "providers", "--json")
    assert code == 0 and runs(sqlite_store, "providers") == []


def test_a_refused_plot_saves_nothing(sqlite_store: Store, tmp_path: Path) -> None:
    with pytest.raises(InvalidOption, match="--plot: cannot write"):
        _run(sqlite_store, "providers", "--save", "--plot", str(tmp_path))  # a folder
    assert runs(sqlite_store, "providers") == []
