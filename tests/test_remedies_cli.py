"""The remedies commands end to end on a SQLite store (real clock: dates are relative)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from remedy_support import DEBTOR, FIRM, dishonest, rid
from socialcredit.cli import app
from socialcredit.clock import FixedClock, SystemClock, today
from socialcredit.errors import SocialCreditError
from socialcredit.store.database import Store

from factories import ingest_on, judgment_default

TODAY = today(SystemClock())  # China's calendar day, as the CLI counts it
CASE_A = "(2026)鲁1082执61号"
CASE_B = "(2026)鲁1082执62号"


def ago(days: int) -> str:
    return (TODAY - dt.timedelta(days=days)).isoformat()


@pytest.fixture
def cli(tmp_path: Path) -> Any:
    runner = CliRunner()
    db = f"sqlite:///{tmp_path / 'cli.db'}"

    def run(*args: str) -> Any:
        result = runner.invoke(app, ["--db", db, *args], catch_exceptions=False)
        return result

    assert run("init").exit_code == 0
    rows = [
        judgment_default(
            ref=ref,
            subject=DEBTOR,
            occurred_at=ago(60),
            attributes={"case_no": ref, "ground": "evades_enforcement"},
        )
        for ref in (CASE_A, CASE_B)
    ]
    # reported when they happened (the CLI ingests at the real now), so that the
    # listings are in force today after their notice periods
    store = Store(db, clock=FixedClock(dt.datetime.now(dt.UTC)))
    try:
        ingest_on(store, ago(500), dishonest("D-1", ago(500), subject=FIRM))
        ingest_on(store, ago(60), *rows)
    finally:
        store.close()
    return run


def body(result: Any) -> dict[str, Any]:
    assert result.exit_code == 0, result.output
    value: dict[str, Any] = json.loads(result.stdout)
    return value


def test_objection_answer_decision_and_appeal(cli: Any, tmp_path: Path) -> None:
    filed = body(
        cli(
            "object",
            DEBTOR,
            "--record",
            rid(CASE_A),
            "--grounds",
            "wrong",
            "--evidence",
            "receipt",
            "--json",
        )
    )["case"]
    case = filed["case"]
    assert case.startswith(f"OBJ-{TODAY:%Y%m%d}-") and filed["state"] == "filed"
    assert filed["next"]["who"] == "reviewer"
    assert body(cli("accept", case, "--json"))["case"]["state"] == "accepted"
    answered = body(cli("answer", case, "--outcome", "upheld", "--reasons", "unpaid", "--json"))
    assert answered["case"]["state"] == "answered"
    assert answered["subject"]["grades"]["national"] is not None
    decided = body(cli("decide-objection", case, "--reasons", "upheld", "--by", "rev-1", "--json"))
    assert decided["case"]["outcome"] == "upheld"
    assert body(cli("appeal", case, "--grounds", "wrong court", "--json"))["case"]["state"] == (
        "appealed"
    )
    suspended = body(cli("appeal-decide", case, "--suspend", "--by", "ar-1", "--json"))
    assert suspended["case"]["listing_suspended"] is True
    assert [
        e["status"] for e in suspended["subject"]["lists"] if e["ground_record"] == rid(CASE_A)
    ] == ["suspended"]
    done = cli("appeal-decide", case, "--outcome", "upheld", "--reasons", "right", "--by", "ar-1")
    assert done.exit_code == 0 and "appeal_decided" in done.stdout
    with pytest.raises(SocialCreditError) as err:
        cli("appeal", case, "--grounds", "again")
    assert err.value.code == "already_appealed"
    with pytest.raises(SocialCreditError) as err:
        cli("object", DEBTOR, "--record", rid(CASE_A), "--grounds", "bogus", "--evidence", "x")
    assert err.value.code == "malformed"
    shown = cli("case", case)
    assert shown.exit_code == 0 and "remedy.appeal_decided" in shown.stdout


def test_corrected_answer_from_a_file_and_the_affected_report(cli: Any, tmp_path: Path) -> None:
    refused = body(cli("check", DEBTOR, "transport.air.ticket", "--json"))
    assert refused["outcome"] == "deny"
    case = body(
        cli(
            "object",
            DEBTOR,
            "--record",
            rid(CASE_B),
            "--grounds",
            "wrong",
            "--evidence",
            "x",
            "--json",
        )
    )["case"]["case"]
    cli("accept", case)
    fix = tmp_path / "fix.json"
    fix.write_text(
        json.dumps(
            {
                "attributes": {"case_no": CASE_B, "amount": 10, "ground": "evades_enforcement"},
                "occurred_at": ago(5),
            }
        ),
        encoding="utf-8",
    )
    answered = body(
        cli(
            "answer",
            case,
            "--outcome",
            "corrected",
            "--correction",
            str(fix),
            "--reasons",
            "wrong day",
            "--provider",
            "spc.national",
            "--json",
        )
    )
    assert answered["case"]["steps"][-1]["attributes"]["correction"] == rid(f"{case}/correction")
    report = body(cli("affected", "--json"))
    assert report["total"] == 1 and list(report["requesters"]) == ["cli"]
    assert "affected decisions" in cli("affected").stdout
    listing = body(cli("cases", "--json"))
    assert [c["case"] for c in listing] == [case]
    assert listing[0]["next"]["who"] == "reviewer"
    assert "open cases" in cli("cases", "--overdue").stdout


def test_repair_apply_and_decide(cli: Any) -> None:
    assert body(cli("check", FIRM, "procurement.bid", "--json"))["outcome"] == "deny"
    entry = f"serious_illegal_dishonest_enterprises:{FIRM}:D-1"
    with pytest.raises(SocialCreditError) as err:
        cli("repair", "apply", FIRM, "--entry", entry, "--pledge")
    assert err.value.code == "missing_requirement"
    applied = body(cli("repair", "apply", FIRM, "--entry", entry, "--pledge", "--course", "--json"))
    case = applied["case"]["case"]
    assert case.startswith("REP-") and applied["case"]["next"]["action"] == "decide"
    decided = body(cli("repair", "decide", case, "--accept", "--reasons", "shown", "--json"))
    assert decided["case"]["outcome"] == "accepted"
    assert body(cli("check", FIRM, "procurement.bid", "--json"))["outcome"] == "allow"
    with pytest.raises(SocialCreditError) as err:
        cli("repair", "decide", case, "--refuse", "--reasons", "again")
    assert err.value.code == "invalid_transition"
