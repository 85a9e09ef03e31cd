"""A check about an action the active policy does not know is refused (``unknown_action``),
over HTTP (the lane and the route), in process and on the command line; it never answers
``allow`` for a mistyped or hostile action code inside a key's scope pattern."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from socialcredit.access.keys import create_key
from socialcredit.cli import main
from socialcredit.enforcement.actions import UnknownAction
from socialcredit.enforcement.service import Enforcement
from socialcredit.policy.law.actions import action_catalogue
from socialcredit.settings import Settings
from socialcredit.store.database import Store
from socialcredit.store.tables import decision_log
from socialcredit.web.app import create_app

from support.factories import ingest_on, judgment_default, person_id

DEBTOR = person_id(seq=61)
AIR = "transport.air.ticket"
HOSTILE = ["transport.air.tiket", "transport.air.ticket' OR 1=1", "transport.air.ticket "]


@pytest.fixture
def debtor_store(store: Store) -> Store:
    ingest_on(
        store,
        "2025-06-01",
        judgment_default(
            ref="c-61",
            subject=DEBTOR,
            occurred_at="2025-06-01",
            attributes={"case_no": "c-61", "ground": "evades_enforcement"},
        ),
    )
    return store


@pytest.fixture(params=["lane", "route"])
def client(debtor_store: Store, request: pytest.FixtureRequest) -> Iterator[TestClient]:
    settings = Settings(db=debtor_store.url)
    app = create_app(settings, clock=debtor_store.clock, check_lane=request.param == "lane")
    with TestClient(app) as c:
        yield c


@pytest.fixture
def airline(store: Store) -> dict[str, str]:
    return {"Authorization": f"Bearer {create_key(store, 'airline', ['transport.air.*'])[1]}"}


def _logged(store: Store) -> int:
    with store.reader() as conn:
        return int(conn.execute(select(func.count()).select_from(decision_log)).scalar() or 0)


@pytest.mark.parametrize("action", HOSTILE)
def test_an_unknown_action_in_the_key_scope_is_refused(
    client: TestClient, airline: dict[str, str], action: str
) -> None:
    r = client.post("/v1/checks", json={"subject": DEBTOR, "action": action}, headers=airline)
    assert r.status_code == 400, r.text
    error = r.json()["error"]
    assert (error["code"], error["field"]) == ("unknown_action", "action")


def test_a_typo_is_told_the_nearest_action(client: TestClient, airline: dict[str, str]) -> None:
    body = {"subject": DEBTOR, "action": "transport.air.tiket"}
    r = client.post("/v1/checks", json=body, headers=airline)
    assert "did you mean transport.air.ticket?" in r.json()["error"]["message"]


def test_one_unknown_action_refuses_the_whole_bulk_request(
    client: TestClient, airline: dict[str, str], store: Store
) -> None:
    checks = [
        {"subject": DEBTOR, "action": AIR, "reference": "PNR-1"},
        {"subject": person_id(seq=62), "action": "transport.air.tickets", "reference": "PNR-2"},
    ]
    r = client.post("/v1/checks", json={"purpose": "manifest", "checks": checks}, headers=airline)
    assert r.status_code == 400
    error = r.json()["error"]
    assert (error["code"], error["field"]) == ("unknown_action", "checks.1.action")
    client.app.state.enforcement.log.flush()  # type: ignore[attr-defined]
    assert _logged(store) == 0  # no subject was checked


def test_a_known_action_is_still_decided(client: TestClient, airline: dict[str, str]) -> None:
    r = client.post("/v1/checks", json={"subject": DEBTOR, "action": AIR}, headers=airline)
    assert r.status_code == 200 and r.json()["outcome"] == "deny"


def test_every_measure_action_and_catalogue_action_is_known(debtor_store: Store) -> None:
    service = Enforcement(debtor_store)
    try:
        for action in action_catalogue():
            service.require_action(action)
        policy = service._policy(None, debtor_store.clock.now())
        for info in policy.measures.values():
            assert set(info.definition.actions) <= policy.actions
    finally:
        service.close()


@pytest.mark.parametrize("action", HOSTILE)
def test_the_in_process_check_refuses_an_unknown_action(debtor_store: Store, action: str) -> None:
    service = Enforcement(debtor_store)
    try:
        with pytest.raises(UnknownAction) as full:
            service.check(DEBTOR, action)
        assert full.value.code == "unknown_action" and full.value.field == "action"
        with pytest.raises(UnknownAction):
            service.outcome(DEBTOR, action)
        with pytest.raises(UnknownAction):
            service.outcomes([DEBTOR, person_id(seq=63)], action)
        assert service.outcome(DEBTOR, AIR) == "deny"
    finally:
        service.close()


def test_the_cli_check_exits_2_on_an_unknown_action(
    debtor_store: Store, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["socialcredit", "--db", debtor_store.url, "check", DEBTOR, "transport.air.tiket"]
    monkeypatch.setattr(sys, "argv", argv)
    with pytest.raises(SystemExit) as done:
        main()
    assert done.value.code == 2
    assert "Error: unknown_action" in capsys.readouterr().err
