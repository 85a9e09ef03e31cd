"""The remedies commands end to end on a SQLite store (real clock: dates are relative)."""

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

from support.factories import ingest_on, judgment_default
from support.remedies import DEBTOR, FIRM, dishonest, rid

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
            "objections",
            "file",
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
    assert body(cli("objections", "accept", case, "--json"))["case"]["state"] == "accepted"
    answered = body(
        cli("objections", "answer", case, "--outcome", "upheld", "--reasons", "unpaid", "--json")
    )
    assert answered["case"]["state"] == "answered"
    assert answered["subject"]["grades"]["national"] is not None
    decided = body(
        cli("objections", "decide", case, "--reasons", "upheld", "--by", "rev-1", "--json")
    )
    assert decided["case"]["outcome"] == "upheld"
    assert body(cli("appeals", "file", case, "--grounds", "wrong court", "--json"))["case"][
        "state"
    ] == ("appealed")
    suspended = body(cli("appeals", "suspend", case, "--by", "ar-1", "--json"))
    assert suspended["case"]["listing_suspended"] is True
    assert [
        e["status"] for e in suspended["subject"]["lists"] if e["ground_record"] == rid(CASE_A)
    ] == ["suspended"]
    done = cli(
        "appeals", "decide", case, "--outcome", "upheld", "--reasons", "right", "--by", "ar-1"
    )
    assert done.exit_code == 0 and "appeal_decided" in done.stdout
    with pytest.raises(SocialCreditError) as err:
        cli("appeals", "file", case, "--grounds", "again")
    assert err.value.code == "already_appealed"
    with pytest.raises(SocialCreditError) as err:
        cli(
            "objections",
            "file",
            DEBTOR,
            "--record",
            rid(CASE_A),
            "--grounds",
            "bogus",
            "--evidence",
            "x",
        )
    assert err.value.code == "malformed"
    shown = cli("cases", "show", case)
    assert shown.exit_code == 0 and "remedy.appeal_decided" in shown.stdout


def test_corrected_answer_from_a_file_and_the_affected_report(cli: Any, tmp_path: Path) -> None:
    refused = body(cli("check", DEBTOR, "transport.air.ticket", "--json"))
    assert refused["outcome"] == "deny"
    case = body(
        cli(
            "objections",
            "file",
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
    cli("objections", "accept", case)
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
            "objections",
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
    report = body(cli("objections", "affected", "--json"))
    assert report["total"] == 1 and list(report["requesters"]) == ["cli"]
    assert "affected decisions" in cli("objections", "affected").stdout
    listing = body(cli("cases", "list", "--json"))
    assert [c["case"] for c in listing] == [case]
    assert listing[0]["next"]["who"] == "reviewer"
    assert "open cases" in cli("cases", "--overdue").stdout
    assert body(cli("cases", "--json")) == listing  # bare `cases` lists
    assert body(cli("objections", "list", "--json")) == listing  # only objections are open
    assert body(cli("objections", "show", case, "--json"))["case"]["case"] == case


def test_repair_apply_and_decide(cli: Any) -> None:
    assert body(cli("check", FIRM, "procurement.bid", "--json"))["outcome"] == "deny"
    entry = f"serious_illegal_dishonest_enterprises:{FIRM}:D-1"
    with pytest.raises(SocialCreditError) as err:
        cli("repairs", "apply", FIRM, "--entry", entry, "--pledge")
    assert err.value.code == "missing_requirement"
    applied = body(
        cli("repairs", "apply", FIRM, "--entry", entry, "--pledge", "--course", "--json")
    )
    case = applied["case"]["case"]
    assert case.startswith("REP-") and applied["case"]["next"]["action"] == "decide"
    assert body(cli("objections", "list", "--json")) == []  # a repair is not an objection
    with pytest.raises(SocialCreditError) as err:
        cli("objections", "show", case)
    assert err.value.code == "not_found" and f"cases show {case}" in err.value.message
    assert body(cli("cases", "show", case, "--json"))["case"]["kind"] == "repair"
    decided = body(cli("repairs", "decide", case, "--accept", "--reasons", "shown", "--json"))
    assert decided["case"]["outcome"] == "accepted"
    assert body(cli("check", FIRM, "procurement.bid", "--json"))["outcome"] == "allow"
    with pytest.raises(SocialCreditError) as err:
        cli("repairs", "decide", case, "--refuse", "--reasons", "again")
    assert err.value.code == "invalid_transition"


def moved(result: Any, old: str, new: str) -> dict[str, Any]:
    """The JSON an old command name printed, after it said where it moved."""
    assert f"`socialcredit {old}` moved to `socialcredit {new}`" in result.stderr
    return body(result)


def test_the_old_flat_names_run_the_new_commands_and_say_where_they_moved(cli: Any) -> None:
    record = rid(CASE_A)
    filed = cli(
        "object", DEBTOR, "--record", record, "--grounds", "wrong", "--evidence", "x", "--json"
    )
    case = moved(filed, "object", "objections file")["case"]["case"]
    assert (
        moved(cli("accept", case, "--json"), "accept", "objections accept")["case"]["state"]
        == "accepted"
    )
    answer = cli("answer", case, "--outcome", "upheld", "--reasons", "r", "--json")
    assert moved(answer, "answer", "objections answer")["case"]["state"] == "answered"
    decide = cli("decide-objection", case, "--reasons", "r", "--json")
    assert moved(decide, "decide-objection", "objections decide")["case"]["outcome"] == "upheld"
    appeal = cli("appeal", case, "--grounds", "g", "--json")
    assert moved(appeal, "appeal", "appeals file")["case"]["state"] == "appealed"
    suspend = cli("appeal-decide", case, "--suspend", "--json")
    assert moved(suspend, "appeal-decide --suspend", "appeals suspend")["case"]["listing_suspended"]
    with pytest.raises(SocialCreditError) as err:  # the old form's own rule still holds
        cli("appeal-decide", case, "--outcome", "upheld")
    assert err.value.code == "malformed"
    done = cli("appeal-decide", case, "--outcome", "upheld", "--reasons", "r", "--json")
    assert moved(done, "appeal-decide --outcome", "appeals decide --outcome")["case"]["state"] == (
        "appeal_decided"
    )
    assert moved(cli("case", case, "--json"), "case", "cases show")["case"]["case"] == case
    assert moved(cli("affected", "--json"), "affected", "objections affected")["total"] == 0
    entry = f"serious_illegal_dishonest_enterprises:{FIRM}:D-1"
    applied = cli("repair", "apply", FIRM, "--entry", entry, "--pledge", "--course", "--json")
    repair = moved(applied, "repair apply", "repairs apply")["case"]["case"]
    decided = cli("repair", "decide", repair, "--refuse", "--reasons", "r", "--json")
    assert moved(decided, "repair decide", "repairs decide")["case"]["outcome"] == "refused"
    swept = cli("notices-sweep", "--json")
    assert "delivery" in moved(swept, "notices-sweep", "notices sweep")
    listed = cli("notices", DEBTOR, "--json")
    assert "`socialcredit notices SUBJECT` moved to `socialcredit notices list SUBJECT`" in (
        listed.stderr
    )
    assert json.loads(listed.stdout) == json.loads(cli("notices", "list", DEBTOR, "--json").stdout)
