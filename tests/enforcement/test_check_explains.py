"""A refusal names the ground record as the subject needs it: the case number, the
amount, the court that reported it, and the exact command and call to object to it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from socialcredit.cli import app
from socialcredit.enforcement.service import Enforcement
from socialcredit.ledger.record import record_id
from socialcredit.store.database import Store

from support.factories import ingest_on, judgment_default, org_id, person_id

DEBTOR = person_id(seq=71)
FIRM = org_id(code="MA3C4D5E7")
BOSS = person_id(seq=73)
CASE = "(2025)鲁1082执71号"
FIRM_CASE = "(2025)鲁1082执72号"


@pytest.fixture
def service(store: Store) -> Iterator[Enforcement]:
    ingest_on(
        store,
        "2025-11-03",
        judgment_default(
            ref=CASE,
            subject=DEBTOR,
            occurred_at="2025-11-03",
            attributes={"case_no": CASE, "amount": 86000.5, "ground": "evades_enforcement"},
        ),
        {
            "provider": "samr.national",
            "ref": "lr-72",
            "subject": FIRM,
            "category": "registry.legal_representative",
            "occurred_at": "2019-05-01",
            "attributes": {"person": BOSS},
        },
        judgment_default(
            ref=FIRM_CASE,
            subject=FIRM,
            occurred_at="2025-11-03",
            attributes={"case_no": FIRM_CASE, "amount": 2e6, "ground": "able_but_refuses"},
        ),
    )
    enforcement = Enforcement(store)
    yield enforcement
    enforcement.close()


def test_the_ground_record_is_named_with_its_case_amount_and_court(service: Enforcement) -> None:
    decision = service.check(DEBTOR, "transport.air.ticket")
    assert decision.outcome == "deny"
    (ground,) = decision.grounds
    record = record_id("spc.national", CASE)
    assert (ground.record, ground.entry) == (record, f"court_defaulters:{DEBTOR}:{CASE}")
    assert (ground.category, ground.case_key, ground.case_no) == (
        "judicial.judgment_default",
        "case_no",
        CASE,
    )
    assert ground.amount == 86000.5
    assert (ground.provider, ground.provider_name) == ("spc.national", "Supreme People's Court")
    path = ground.objection
    assert path.command.startswith(
        f"socialcredit objections file {DEBTOR} --record {record} --grounds "
    )
    assert path.endpoint == "POST /v1/objections"
    assert path.body["subject"] == DEBTOR and path.body["record"] == record
    assert "wrong" in path.body["grounds"] and "evidence" in path.body


def test_a_representative_objects_for_the_listed_organisation(service: Enforcement) -> None:
    decision = service.check(BOSS, "transport.air.ticket")
    assert decision.outcome == "deny"
    (ground,) = decision.grounds
    record = record_id("spc.national", FIRM_CASE)
    assert ground.case_no == FIRM_CASE and ground.amount == 2e6
    # the record is the enterprise's: the representative files for it
    assert ground.objection.command.startswith(
        f"socialcredit objections file {FIRM} --record {record}"
    )
    assert ground.objection.command.endswith(f"--by {BOSS}")
    assert ground.objection.body["filed_by"] == BOSS


def test_an_allow_names_nothing_to_object_to(service: Enforcement) -> None:
    decision = service.check(person_id(seq=75), "transport.air.ticket")
    assert decision.outcome == "allow" and decision.grounds == ()


def test_the_cli_prints_the_command_for_that_record(store: Store, service: Enforcement) -> None:
    result = CliRunner().invoke(
        app, ["--db", store.url, "check", DEBTOR, "transport.air.ticket"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    record = record_id("spc.national", CASE)
    text = " ".join(result.output.split())
    assert CASE in text and "86,000.50 yuan" in text and "Supreme People's Court" in text
    assert f"socialcredit objections file {DEBTOR} --record {record}" in text
    assert "POST /v1/objections" in text
