"""``socialcredit risk``: a subject's score with its reasons and the model version, the
versions, and the refusals (no model active, a candidate never dry-run, too little
history to train on), on a hand-made store."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from socialcredit.cli import app
from socialcredit.errors import NotFound
from socialcredit.store.database import Store
from socialcredit.supervision.risk import models
from socialcredit.supervision.risk.models import NoRiskModel, RiskModelState

from support.factories import resident
from support.remedies import DEBTOR, listed_debtor
from support.risk import EVALUATION, activate_card, card

EVALUATION_CUTOFF = dt.date(2025, 6, 30)


def run(db: str, *args: str) -> str:
    result = CliRunner().invoke(app, ["--db", db, "risk", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_a_score_names_the_model_and_the_reasons(sqlite_store: Store) -> None:
    resident(sqlite_store, DEBTOR)
    listed_debtor(sqlite_store)
    model = activate_card(sqlite_store)
    out = run(sqlite_store.url, "score", DEBTOR)
    assert f"{DEBTOR}: 495 points (high, model {model.version})" in out
    assert "-40  court judgments not yet performed / 尚未履行的法院判决" in out
    assert [line.split()[0] for line in out.splitlines() if line.startswith("  -")] == [
        "-40",
        "-30",
        "-20",
        "-10",
    ]  # the four reasons lowering the score most, the largest first
    body = json.loads(run(sqlite_store.url, "score", DEBTOR, "--json"))
    assert body["model_version"] == model.version and len(body["reasons"]) == 4
    assert [m["state"] for m in json.loads(run(sqlite_store.url, "models"))] == ["active"]
    # the subject's report shows it too
    shown = CliRunner().invoke(app, ["--db", sqlite_store.url, "report", DEBTOR]).stdout
    assert f"risk: 495 points (high, model {model.version}" in shown


def test_no_model_no_report_and_no_score(sqlite_store: Store) -> None:
    assert json.loads(run(sqlite_store.url, "models")) == []
    with pytest.raises(NoRiskModel, match="no risk model is active"):
        run(sqlite_store.url, "report")
    with pytest.raises(NoRiskModel):
        run(sqlite_store.url, "score", DEBTOR)


def test_a_candidate_never_dry_run_is_not_activated(sqlite_store: Store) -> None:
    now = sqlite_store.clock.now()
    model = models.save_candidate(
        sqlite_store, card(), cutoff=EVALUATION_CUTOFF, known_at=now, evaluation=EVALUATION
    )
    with pytest.raises(RiskModelState, match="has not been dry-run"):
        run(sqlite_store.url, "activate", str(model.version))
    with pytest.raises(NoRiskModel, match="no risk model version 9"):
        run(sqlite_store.url, "activate", "9")


def test_too_little_history_is_no_model(sqlite_store: Store) -> None:
    resident(sqlite_store, DEBTOR)
    with pytest.raises(NotFound, match="too few serious defaults"):
        run(sqlite_store.url, "train", "--at", "2026-06-30T12:00:00Z")
