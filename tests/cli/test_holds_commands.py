"""``socialcredit holds list|release|reject`` and ``supervise providers`` on a SQLite
store (the real clock: the feed's quiet weeks are the eight weeks before this one)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from socialcredit.cli import app
from socialcredit.clock import FixedClock, SystemClock, today
from socialcredit.errors import SocialCreditError
from socialcredit.store.database import Store

from support.holds import CATEGORY, PROVIDER, SPIKE, flood_rows, quiet_history

TODAY = today(SystemClock())
MONDAY = TODAY - dt.timedelta(days=TODAY.weekday())
QUIET = [MONDAY - dt.timedelta(weeks=k) for k in range(8, 0, -1)]


@pytest.fixture
def cli(tmp_path: Path) -> Any:
    runner = CliRunner()
    db = f"sqlite:///{tmp_path / 'cli.db'}"

    def run(*args: str) -> Any:
        return runner.invoke(app, ["--db", db, *args], catch_exceptions=False)

    assert run("init").exit_code == 0
    store = Store(db, clock=FixedClock(dt.datetime.now(dt.UTC)))
    try:
        quiet_history(store, days=QUIET)
    finally:
        store.close()
    flood = tmp_path / "flood.jsonl"
    rows = flood_rows(day=TODAY.isoformat())
    flood.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n")
    assert run("ingest", str(flood)).exit_code == 0
    return run


def body(result: Any) -> Any:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_a_reviewer_lists_releases_and_rejects_from_the_command_line(cli: Any) -> None:
    (hold,) = body(cli("holds", "list", "--records", "--json"))
    assert (hold["provider"], hold["category"], hold["state"]) == (PROVIDER, CATEGORY, "open")
    assert [s["signal"] for s in hold["signals"]] == ["volume"]
    first, second, *_ = hold["held_records"]
    shown = cli("holds", "list")
    assert shown.exit_code == 0 and hold["id"][:10] in shown.stdout
    one = body(cli("holds", "release", hold["id"], "--record", first["id"], "--by", "r1", "--json"))
    assert one == {
        "hold": hold["id"],
        "outcome": "released",
        "records": [first["id"]],
        "ended": False,
    }
    rest = cli("holds", "reject", hold["id"], "--reason", "test data sent by mistake")
    assert (
        rest.exit_code == 0 and f"{SPIKE - 1} records rejected; the hold has ended" in rest.stdout
    )
    with pytest.raises(SocialCreditError) as again:
        cli("holds", "reject", hold["id"], "--reason", "again")
    assert again.value.code == "hold_closed" and again.value.exit_code == 2
    with pytest.raises(SocialCreditError) as unknown:
        cli("holds", "release", "HOLD-20260101-000000000000")
    assert unknown.value.code == "not_found"
    (ended,) = body(cli("holds", "list", "--all", "--json"))
    assert ended["records"] == {"held": 0, "released": 1, "rejected": SPIKE - 1}
    assert second["id"] != first["id"]


def test_supervise_providers_prints_and_plots_the_reliability(cli: Any, tmp_path: Path) -> None:
    plot = tmp_path / "providers.svg"
    report = body(cli("supervise", "providers", "--json", "--weeks", "10", "--plot", str(plot)))
    (feed,) = report["feeds"]
    assert (feed["provider"], feed["category"]) == (PROVIDER, CATEGORY)
    assert feed["hold"] and len(feed["series"]) == 9  # the feed began nine weeks ago
    svg = plot.read_text(encoding="utf-8")
    assert svg.startswith("<svg") and "reliability over time" in svg
    table = cli("supervise", "providers")
    assert table.exit_code == 0 and PROVIDER in table.stdout
