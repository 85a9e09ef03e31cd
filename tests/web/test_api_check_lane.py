"""The lean ASGI lane for POST /v1/checks answers exactly as the FastAPI route."""

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

DEBTOR = person_id(seq=31)
AIR = "transport.air.ticket"


@pytest.fixture
def clients(store: Store) -> Iterator[tuple[TestClient, TestClient]]:
    ingest_on(
        store,
        "2025-06-01",
        judgment_default(
            ref="c-31",
            subject=DEBTOR,
            occurred_at="2025-06-01",
            attributes={"case_no": "c-31", "ground": "evades_enforcement"},
        ),
    )
    settings = Settings(db=store.url)
    lane = create_app(settings, clock=store.clock)
    route = create_app(settings, clock=store.clock, check_lane=False)
    with TestClient(lane) as a, TestClient(route) as b:
        yield a, b


@pytest.fixture
def token(store: Store) -> str:
    return create_key(store, "airline", ["transport.air.*"])[1]


def _requests(token: str) -> list[dict[str, Any]]:
    auth = {"Authorization": f"Bearer {token}"}
    one = {"subject": DEBTOR, "action": AIR}
    two = [
        {**one, "reference": "PNR-1"},
        {"subject": person_id(seq=32), "action": AIR, "reference": "PNR-2"},
    ]
    return [
        {"json": one, "headers": auth},
        {"json": {**one, "at": "2025-06-10T00:00:00+08:00"}, "headers": auth},
        {"json": {**one, "purpose": "ticket sale", "reference": "PNR-9"}, "headers": auth},
        {"json": {"purpose": "manifest", "checks": two}, "headers": auth},
        {"json": {"checks": two}, "headers": auth},  # no purpose
        {"json": {"purpose": "manifest", "checks": [one]}, "headers": auth},  # no reference
        {"json": {"checks": [one, {"subject": person_id(seq=32), "action": AIR}]}, "headers": auth},
        {"json": one, "headers": {"X-Api-Key": token}},
        {"json": one, "headers": {"Authorization": "Bearer sc_nope_nope"}},
        {"json": one},
        {"json": {"subject": DEBTOR, "action": "procurement.bid"}, "headers": auth},
        {"json": {"checks": [one, {"subject": DEBTOR, "action": "procure.bid"}]}, "headers": auth},
        {"json": {"subject": "123", "action": AIR}, "headers": auth},
        {"json": {"subject": DEBTOR, "action": "transport.air.tiket"}, "headers": auth},
        {"json": {"checks": [{**two[0], "action": "transport.air.x"}]}, "headers": auth},
        {"json": {"subject": DEBTOR}, "headers": auth},
        {"json": {**one, "extra": 1}, "headers": auth},
        {"json": {**one, "at": "yesterday"}, "headers": auth},
        {"json": {**one, "at": "9999-12-31T23:59:59"}, "headers": auth},
        {"json": {"checks": [{**one, "at": "0001-01-01T00:00:00+08:00"}]}, "headers": auth},
        {"json": {"checks": []}, "headers": auth},
        {"json": {"checks": [{"subject": 7, "action": AIR}]}, "headers": auth},
        {"json": {"checks": [one] * 10_001}, "headers": auth},
        {"content": b"{not json", "headers": {**auth, "Content-Type": "application/json"}},
        {"content": b"{not json", "headers": {"Content-Type": "application/json"}},
        {"content": b"", "headers": {**auth, "Content-Type": "application/json"}},
        {"content": b"null", "headers": {**auth, "Content-Type": "application/json"}},
        {"content": b"[1, 2]", "headers": {**auth, "Content-Type": "application/json"}},
        {"content": b'{"subject": 1}', "headers": {**auth, "Content-Type": "text/plain"}},
        {"json": one, "headers": {**auth, "Content-Type": "application/problem+json"}},
    ]


def test_the_lane_answers_as_the_route(clients: tuple[TestClient, TestClient], token: str) -> None:
    lane, route = clients
    for request in _requests(token):
        a = lane.post("/v1/checks", **request)
        b = route.post("/v1/checks", **request)
        assert a.status_code == b.status_code, request
        if a.status_code == 200:
            assert a.content == b.content  # the same decisions, byte for byte
            assert a.headers["content-type"] == "application/json"
        else:
            ea, eb = a.json()["error"], b.json()["error"]
            assert (ea["code"], ea.get("field")) == (eb["code"], eb.get("field")), request
            assert a.headers.get("www-authenticate") == b.headers.get("www-authenticate")


@pytest.mark.parametrize(
    "at", ["9999-12-31T23:59:59", "9999-12-31T20:00:00-08:00", "0001-01-01T00:00:00+08:00"]
)
def test_a_time_beyond_the_calendar_is_malformed_not_a_crash(
    clients: tuple[TestClient, TestClient], token: str, at: str
) -> None:
    auth = {"Authorization": f"Bearer {token}"}
    for client in clients:
        for body in ({"subject": DEBTOR, "action": AIR, "at": at},):
            for payload in (body, {"checks": [body]}):
                answer = client.post("/v1/checks", json=payload, headers=auth)
                assert answer.status_code == 422, answer.text
                error = answer.json()["error"]
                assert error["code"] == "malformed" and error["field"].endswith("at")


def test_a_denial_through_the_lane(clients: tuple[TestClient, TestClient], token: str) -> None:
    lane, _ = clients
    r = lane.post(
        "/v1/checks",
        json={"subject": DEBTOR, "action": AIR},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert r.status_code == 200 and r.json()["outcome"] == "deny"
    assert int(r.headers["content-length"]) == len(r.content)


def test_an_oversized_body_is_refused(store: Store, token: str) -> None:
    settings = Settings(db=store.url, max_request_bytes=1_024)
    checks = [{"subject": DEBTOR, "action": AIR, "reference": "r"}] * 40
    for lane in (True, False):
        with TestClient(create_app(settings, clock=store.clock, check_lane=lane)) as client:
            r = client.post(
                "/v1/checks",
                json={"purpose": "p", "checks": checks},
                headers={"Authorization": f"Bearer {token}"},
            )
            assert r.status_code == 413 and r.json()["error"]["code"] == "request_too_large"


def test_other_routes_pass_through(clients: tuple[TestClient, TestClient], token: str) -> None:
    lane, _ = clients
    assert lane.get("/v1/health").json()["status"] == "ok"
    auth = {"Authorization": f"Bearer {token}"}
    assert lane.get("/v1/checks", headers=auth).status_code == 405
