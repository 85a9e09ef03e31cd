"""POST /v1/checks with scoped API keys; one error shape."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from socialcredit.access.keys import create_key
from socialcredit.settings import Settings
from socialcredit.store.database import Store
from socialcredit.web.app import create_app

from support.factories import ingest_on, judgment_default, person_id

DEBTOR = person_id(seq=21)


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    ingest_on(  # reported when it happened: in force after the notice period
        store,
        "2025-06-01",
        judgment_default(
            ref="c-9",
            subject=DEBTOR,
            occurred_at="2025-06-01",
            attributes={"case_no": "c-9", "ground": "evades_enforcement"},
        ),
    )
    app = create_app(Settings(db=store.url), clock=store.clock)
    with TestClient(app) as c:
        yield c


@pytest.fixture
def airline(store: Store) -> dict[str, str]:
    _key, token = create_key(store, "airline", ["transport.air.*"])
    return {"Authorization": f"Bearer {token}"}


def test_one_check(client: TestClient, airline: dict[str, str]) -> None:
    r = client.post(
        "/v1/checks", json={"subject": DEBTOR, "action": "transport.air.ticket"}, headers=airline
    )
    assert r.status_code == 200
    body = r.json()
    assert body["outcome"] == "deny"
    assert body["entries"][0]["list"] == "court_defaulters"
    assert body["legal_bases"] and body["policy_version"].startswith("national@")


def test_many_checks(client: TestClient, airline: dict[str, str]) -> None:
    # a bulk check states its purpose and a transaction reference per subject
    checks = [{"subject": DEBTOR, "action": "transport.air.ticket", "reference": "PNR-0"}] + [
        {
            "subject": person_id(seq=100 + i),
            "action": "transport.air.ticket",
            "reference": f"PNR-{i + 1}",
        }
        for i in range(50)
    ]
    body = {"purpose": "ticket sale", "checks": checks}
    r = client.post("/v1/checks", json=body, headers=airline)
    assert r.status_code == 200
    decisions = r.json()["decisions"]
    outcomes = [d["outcome"] for d in decisions]
    assert outcomes[0] == "deny" and set(outcomes[1:]) == {"allow"}
    assert [d["reference"] for d in decisions] == [c["reference"] for c in checks]
    assert {d["purpose"] for d in decisions} == {"ticket sale"}


def _error(r: Any) -> dict[str, Any]:
    body: dict[str, Any] = r.json()
    assert set(body) == {"error"} and {"code", "message"} <= set(body["error"])
    return body["error"]


def test_errors_have_one_shape(client: TestClient, airline: dict[str, str], store: Store) -> None:
    r = client.post("/v1/checks", json={"subject": DEBTOR, "action": "transport.air.ticket"})
    assert r.status_code == 401 and _error(r)["code"] == "unauthorised"
    r = client.post(
        "/v1/checks", json={"subject": DEBTOR, "action": "procurement.bid"}, headers=airline
    )
    assert r.status_code == 403 and _error(r)["code"] == "forbidden"
    r = client.post(
        "/v1/checks", json={"subject": "123", "action": "transport.air.ticket"}, headers=airline
    )
    assert r.status_code == 422 and _error(r)["field"] == "subject"  # the schema's shape
    bad_check_digit = DEBTOR[:17] + ("1" if DEBTOR[17] != "1" else "2")
    r = client.post(
        "/v1/checks",
        json={"subject": bad_check_digit, "action": "transport.air.ticket"},
        headers=airline,
    )
    assert r.status_code == 400 and _error(r)["code"] == "invalid_identifier"
    r = client.post("/v1/checks", json={"subject": DEBTOR}, headers=airline)
    assert r.status_code == 422 and _error(r)["code"] == "malformed"
    too_many = [{"subject": DEBTOR, "action": "transport.air.ticket", "reference": "x"}] * 10_001
    r = client.post("/v1/checks", json={"purpose": "p", "checks": too_many}, headers=airline)
    assert r.status_code == 422 and _error(r)["code"] == "malformed"


def test_health(client: TestClient) -> None:
    assert client.get("/v1/health").json()["status"] == "ok"
