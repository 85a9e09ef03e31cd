"""The report explains fully: list entries with their status, the measures in force,
each contribution's provider, basis, expiry and objection path, and -- for a subject
no single record would lift -- the way to the next better grade."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from socialcredit.cli import app
from socialcredit.clock import parse_instant
from socialcredit.ledger.record import record_id
from socialcredit.services.report import subject_report
from socialcredit.store.database import Store

from support.factories import ingest_on, judgment_default, person_id

DEBTOR = person_id(seq=81)
FIRST, SECOND = "(2025)鲁1082执81号", "(2025)鲁1082执82号"


def default(case: str, day: str) -> dict[str, Any]:
    return judgment_default(
        ref=case,
        subject=DEBTOR,
        occurred_at=day,
        attributes={"case_no": case, "amount": 5e4, "ground": "evades_enforcement"},
    )


@pytest.fixture
def debtor(store: Store) -> Store:
    ingest_on(store, "2025-06-01", default(FIRST, "2025-06-01"))
    ingest_on(
        store,
        "2025-07-01",
        {
            "provider": "spc.national",
            "ref": "sham-81",
            "subject": DEBTOR,
            "category": "judicial.sham_litigation",
            "occurred_at": "2025-07-01",
            "attributes": {"case_no": "(2025)鲁1082民81号", "amount": 1e5},
        },
    )
    ingest_on(store, "2025-09-01", default(SECOND, "2025-09-01"))
    return store


def test_a_d_grade_subject_sees_the_way_to_a_better_grade(debtor: Store) -> None:
    body = subject_report(debtor, DEBTOR)
    assert body["grades"]["national"] == "D"  # 1000 - 300 - 200 - 300
    assert [w for w in body["what_would_change"] if w["scheme"] == "national"] == []
    path = body["better_grade"]["national"]
    assert path["grade"] == "C"
    # the first default ends on 2027-06-01 (500: still D); the sham litigation on
    # 2027-07-01 (700): by itself the grade is C from then on
    assert (path["by_itself_on"], path["grade_then"], path["score_then"]) == (
        "2027-07-01",
        "C",
        700.0,
    )
    assert [x["rule_id"] for x in path["ending"]] == [
        "nat.judgment_default",
        "nat.sham_litigation",
    ]
    # sooner: the two largest deductions, each ended early by the fulfilment of its case;
    # court records are not repaired by credit repair
    assert [x["record_id"] for x in path["sooner"]] == [
        record_id("spc.national", FIRST),
        record_id("spc.national", SECOND),
    ]
    assert path["score_sooner"] == 800.0  # B, today
    for x in path["sooner"]:
        assert x["ended_by"] == ["judicial.judgment_fulfilled"]
        assert x["repair"]["repairable"] is False and x["repair"]["eligible_from"] is None


def test_contributions_name_provider_basis_expiry_and_objection(debtor: Store) -> None:
    body = subject_report(debtor, DEBTOR)
    first = next(
        c
        for c in body["contributions"]
        if c["scheme"] == "national" and c["record_id"] == record_id("spc.national", FIRST)
    )
    assert first["provider"] == "spc.national"
    assert first["provider_name"] == "Supreme People's Court"
    assert first["legal_basis"] and first["expires_on"] == "2027-06-01"
    objection = first["objection"]
    assert objection["command"].startswith(
        f"socialcredit objections file {DEBTOR} --record {first['record_id']} "
    )
    assert objection["endpoint"] == "POST /v1/objections"
    assert objection["body"]["record"] == first["record_id"]


def test_entries_and_measures_in_force_at_the_moment_asked(debtor: Store) -> None:
    body = subject_report(debtor, DEBTOR)
    entries = {e["act_key"]: e for e in body["entries"] if e["list"] == "court_defaulters"}
    assert entries[FIRST]["status"] == "active"
    assert entries[SECOND]["status"] == "active"  # 30 days' notice from 1 September
    ground = entries[FIRST]["ground"]
    assert (ground["case_no"], ground["amount"], ground["provider"]) == (FIRST, 5e4, "spc.national")
    assert ground["objection"]["command"].startswith(
        f"socialcredit objections file {DEBTOR} --record "
    )
    assert any(m["measure"] == "hc_1_travel_class" for m in entries[FIRST]["measures"])
    flights = [m for m in body["measures"] if m["measure"] == "hc_1_travel_class"]
    assert flights and "transport.air.ticket" in flights[0]["actions"]
    # during the second listing's notice period it is pending
    earlier = subject_report(debtor, DEBTOR, parse_instant("2025-09-10"))
    states = {e["act_key"]: e["status"] for e in earlier["entries"]}
    assert states[SECOND] == "pending" and states[FIRST] == "active"


def test_the_cli_report_shows_entries_measures_and_the_way_up(debtor: Store) -> None:
    runner = CliRunner()
    args = ["--db", debtor.url, "report", DEBTOR]
    body = json.loads(runner.invoke(app, [*args, "--json"], catch_exceptions=False).output)
    assert body["entries"] and body["measures"] and body["better_grade"]["national"]
    text = " ".join(runner.invoke(app, args, catch_exceptions=False).output.split())
    assert "list entries" in text and "measures in force" in text
    assert "the next better grade, C, comes by itself on 2027-07-01" in text
