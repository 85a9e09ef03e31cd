"""`evaluate` (batch run, assessments, honour list) and `policy diff` (dry run) end to end."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from socialcredit.cli import app
from socialcredit.clock import FixedClock
from socialcredit.enforcement.service import Enforcement
from socialcredit.ledger.registry import register_providers
from socialcredit.policy.pack import load_pack, pack_folder, read_pack_files
from socialcredit.services.evaluate import evaluate_now
from socialcredit.store.database import Store

from support.factories import ingest_on, judgment_default, person_id, resident

RESIDENT = person_id(area="371082", birth="19900512", seq=31)


def _variant(tmp_path: Path, name: str, edit: dict[str, tuple[str, str]]) -> Path:
    folder = tmp_path / f"{name}-variant"
    folder.mkdir()
    for fname, text in read_pack_files(pack_folder(name)).items():
        if fname in edit:
            old, new = edit[fname]
            assert old in text, f"{old!r} not in {fname}"
            text = text.replace(old, new)
        (folder / fname).write_text(text, encoding="utf-8")
    return folder


def _consenting_resident(store: Store) -> None:
    resident(store, RESIDENT)
    register_providers(
        store,
        [
            {
                "id": "community.371082",
                "kind": "community",
                "name": "荣成市社区",
                "jurisdiction": "371082",
            }
        ],
        [load_pack(n) for n in ("national", "food-drug", "rongcheng")],
    )
    ingest_on(
        store,
        "2026-02-01",
        {
            "provider": "community.371082",
            "ref": "consent-31",
            "subject": RESIDENT,
            "category": "registry.consent",
            "occurred_at": "2026-02-01",
            "attributes": {"scheme": "rongcheng", "given": True},
        },
        {
            "provider": "community.371082",
            "ref": "volunteer-31",
            "subject": RESIDENT,
            "category": "civic.volunteer_hours",
            "occurred_at": "2026-02-01",
            "attributes": {"hours": 260, "activity": "community"},
        },
    )


def test_evaluation_writes_assessments_and_publishes_the_honour_list(
    store: Store, tmp_path: Path
) -> None:
    # 260 registered volunteer hours (+52 points) take the resident to 1052: grade AAA,
    # the honour list's (a reward asks more than the base of 1000, grade A)
    _consenting_resident(store)
    result, published, _entries = evaluate_now(store)
    assert result.grades["rongcheng"] and published == {"rongcheng_honour": 1}
    assert result.no_consent.get("rongcheng", 0) == 0
    service = Enforcement(store)
    try:
        decision = service.check(RESIDENT, "utilities.bill")
        again = service.check(RESIDENT, "utilities.bill")  # where they live, read once
        # moving to Jinan: the city's measure no longer reaches them, at the next check
        resident(store, RESIDENT, area="370102", since="2026-02-20", day="2026-02-20")
        moved = service.check(RESIDENT, "utilities.bill")
    finally:
        service.close()
    assert decision.outcome == again.outcome == "discount"
    assert decision.entries[0].list == "rongcheng_honour"
    assert moved.outcome == "allow" and not moved.measures


@pytest.fixture
def cli(tmp_path: Path) -> Any:
    runner = CliRunner()
    db = f"sqlite:///{tmp_path / 'cli.db'}"

    def run(*args: str) -> Any:
        return runner.invoke(app, ["--db", db, *args], catch_exceptions=False)

    assert run("init").exit_code == 0
    store = Store(db, clock=FixedClock("2026-03-02T02:00:00"))
    ingest_on(store, "2026-01-10", judgment_default(ref="d-1", occurred_at="2026-01-10"))
    store.close()
    return run


def test_evaluate_command(cli: Any) -> None:
    body = json.loads(cli("evaluate", "--json").stdout)
    assert body["rows"] >= 1 and "national" in body["grades"]
    assert body["policy_version"].startswith("national@")
    assert "grades: national" in cli("evaluate").stdout


def test_policy_diff_shows_who_would_change_grade(cli: Any, tmp_path: Path) -> None:
    harsher = _variant(
        tmp_path, "national", {"pack.yaml": ('version: "2026.1"', 'version: "2026.9"')}
    )
    text = (harsher / "scoring.yaml").read_text(encoding="utf-8")
    (harsher / "scoring.yaml").write_text(
        text.replace("points: -300", "points: -700", 1), encoding="utf-8"
    )
    body = json.loads(cli("policy", "diff", "--json", str(harsher)).stdout)
    national = body["schemes"]["national"]
    assert national["changed"] >= 1
    sample = body["samples"][0]
    assert sample["from"] != sample["to"] and sample["after"]
    assert body["candidate"].startswith("national@2026.9")
    assert "candidate: judicial.judgment_default" in cli("policy", "diff", str(harsher)).stdout
