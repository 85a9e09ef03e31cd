"""The command line end to end: init, providers, ingest (JSONL, CSV, Parquet), audit, summary."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from socialcredit.cli import app
from socialcredit.ledger.sources import write_csv_text

from support.factories import judgment_default, person_id


@pytest.fixture
def cli(tmp_path: Path) -> Any:
    runner = CliRunner()
    db = f"sqlite:///{tmp_path / 'cli.db'}"

    def run(*args: str) -> Any:
        return runner.invoke(app, ["--db", db, *args], catch_exceptions=False)

    assert run("init").exit_code == 0
    return run


def _jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in rows))
    return path


def test_ingest_json_summary_and_exit_codes(cli: Any, tmp_path: Path) -> None:
    good = _jsonl(tmp_path / "good.jsonl", [judgment_default(ref="a"), judgment_default(ref="a")])
    result = cli("ingest", "--json", str(good))
    assert result.exit_code == 0
    body = json.loads(result.stdout)
    assert body == {
        "accepted": 1,
        "duplicates": 1,
        "rejected": 0,
        "files_refused": 0,
        "errors": [],
        "errors_truncated": False,
    }

    bad = _jsonl(tmp_path / "bad.jsonl", [judgment_default(ref="b", subject="x")])
    result = cli("ingest", "--json", str(bad))
    assert result.exit_code == 2
    body = json.loads(result.stdout)
    assert body["rejected"] == 1
    assert body["errors"][0]["line"] == 1 and body["errors"][0]["code"] == "invalid_identifier"


def test_ingest_csv_and_parquet(cli: Any, tmp_path: Path) -> None:
    rows = [judgment_default(ref=f"c{i}", subject=person_id(seq=i + 1)) for i in range(3)]
    csv_path = tmp_path / "records.csv"
    csv_path.write_text(write_csv_text(rows), encoding="utf-8")
    assert json.loads(cli("ingest", "--json", str(csv_path)).stdout)["accepted"] == 3

    prow = [judgment_default(ref=f"p{i}") for i in range(2)]
    table = pa.table(
        {
            "provider": [r["provider"] for r in prow],
            "ref": [r["ref"] for r in prow],
            "subject": [r["subject"] for r in prow],
            "category": [r["category"] for r in prow],
            "occurred_at": pa.array([__import__("datetime").date(2025, 3, 1)] * 2),
            "attributes": [orjson.dumps(r["attributes"]).decode() for r in prow],
            "legal_basis": [r["legal_basis"] for r in prow],
            "supersedes": pa.array([None, None], pa.string()),
        }
    )
    pq.write_table(table, tmp_path / "records.parquet")
    body = json.loads(cli("ingest", "--json", str(tmp_path / "records.parquet")).stdout)
    assert (body["accepted"], body["rejected"]) == (2, 0)


def test_csv_with_broken_attributes_json_is_malformed(cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "provider,ref,subject,category,occurred_at,attributes\n"
        "spc.national,r,11010519491231002X,judicial.judgment_default,2025-01-01,{x\n",
        encoding="utf-8",
    )
    result = cli("ingest", "--json", str(path))
    assert result.exit_code == 2
    err = json.loads(result.stdout)["errors"][0]
    assert (err["line"], err["code"]) == (2, "malformed") and "attributes" in err["message"]


def test_unknown_file_and_format_errors(cli: Any, tmp_path: Path) -> None:
    # a file that cannot be read is refused like a record: coded, in the summary, exit 2
    missing = cli("ingest", str(tmp_path / "missing.jsonl"), "--json")
    assert missing.exit_code == 2
    assert [e["code"] for e in json.loads(missing.stdout)["errors"]] == ["not_found"]
    (tmp_path / "x.txt").write_text("hi")
    unknown = cli("ingest", str(tmp_path / "x.txt"), "--json")
    assert unknown.exit_code == 2
    assert [e["code"] for e in json.loads(unknown.stdout)["errors"]] == ["unknown_format"]


def test_register_providers_then_ingest_from_them(cli: Any, tmp_path: Path) -> None:
    providers = tmp_path / "providers.jsonl"
    providers.write_text(
        json.dumps(
            {
                "id": "court.371082",
                "kind": "court",
                "name": "荣成市人民法院",
                "jurisdiction": "371082",
            }
        )
        + "\n"
    )
    assert cli("providers", "register", str(providers)).exit_code == 0
    listed = json.loads(cli("providers", "list", "--json").stdout)
    court = next(p for p in listed if p["id"] == "court.371082")
    assert "judicial.judgment_default" in court["categories"]
    assert "tax.arrears" not in court["categories"]
    rec = _jsonl(tmp_path / "r.jsonl", [judgment_default(provider="court.371082")])
    assert cli("ingest", str(rec)).exit_code == 0


def test_registering_a_provider_of_unknown_kind_fails_whole(cli: Any, tmp_path: Path) -> None:
    from socialcredit.errors import SocialCreditError

    path = tmp_path / "p.jsonl"
    path.write_text(
        json.dumps({"id": "a.1", "kind": "court", "name": "A"})
        + "\n"
        + json.dumps({"id": "b.1", "kind": "oracle", "name": "B"})
        + "\n"
    )
    with pytest.raises(SocialCreditError, match="unknown kind"):
        cli("providers", "register", str(path))
    listed = json.loads(cli("providers", "list", "--json").stdout)
    assert "a.1" not in {p["id"] for p in listed}


def test_audit_verify_and_summary(cli: Any, tmp_path: Path) -> None:
    cli("ingest", str(_jsonl(tmp_path / "r.jsonl", [judgment_default()])))
    result = cli("audit", "verify", "--json")
    assert result.exit_code == 0 and json.loads(result.stdout)["ok"] is True
    summary = json.loads(cli("summary", "--json").stdout)
    assert summary["subjects_by_kind"] == {"person": 1}
    assert summary["records_by_domain"] == {"judicial": 1}
    assert "judicial: 1" not in cli("summary").stdout  # human output is tables


def test_commands_on_an_uninitialised_store_fail_clearly(tmp_path: Path) -> None:
    from socialcredit.errors import SocialCreditError

    runner = CliRunner()
    with pytest.raises(SocialCreditError) as info:
        runner.invoke(
            app, ["--db", f"sqlite:///{tmp_path / 'none.db'}", "summary"], catch_exceptions=False
        )
    assert info.value.code == "not_initialised"


def test_report_explains_a_subject_as_of_both_times(cli: Any, tmp_path: Path) -> None:
    cli("ingest", str(_jsonl(tmp_path / "r.jsonl", [judgment_default()])))
    result = cli("report", "--json", "11010519491231002X")
    assert result.exit_code == 0
    body = json.loads(result.stdout)
    assert set(body) >= {
        "subject",
        "scores",
        "grades",
        "contributions",
        "expired",
        "what_would_change",
    }
    assert body["scores"]["national"]["domains"]["judicial"] < 0
    assert body["contributions"][0]["category"] == "judicial.judgment_default"
    # valid time before the default occurred: nothing counts
    before = json.loads(cli("report", "--json", "--at", "2025-02-01", "11010519491231002X").stdout)
    assert before["contributions"] == [] and before["grades"]["national"] == "AAA"
    # known_at before it was recorded: nothing known
    unknown = json.loads(
        cli("report", "--json", "--known-at", "2020-01-01", "11010519491231002X").stdout
    )
    assert unknown["contributions"] == []
    assert "why: what counts now" in cli("report", "11010519491231002X").stdout


def test_report_on_an_unknown_subject_is_not_found(cli: Any) -> None:
    from socialcredit.errors import SocialCreditError

    with pytest.raises(SocialCreditError) as info:
        cli("report", "371082199005120037")
    assert info.value.code == "not_found"
