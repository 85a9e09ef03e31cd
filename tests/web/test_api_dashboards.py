"""GET /v1/dashboards/{name}: the data behind a chart, for the oversight roles only."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from socialcredit.access.keys import create_key
from socialcredit.dashboards.catalogue import NAMES
from socialcredit.settings import Settings
from socialcredit.store.database import Store
from socialcredit.web.app import create_app

from support.portal_dash import FLIGHT, checks, listings


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    listings(store)
    checks(store)
    with TestClient(create_app(Settings(db=store.url), clock=store.clock)) as c:
        yield c


def bearer(store: Store, *scopes: str) -> dict[str, str]:
    _key, token = create_key(store, "k", list(scopes))
    return {"Authorization": f"Bearer {token}"}


def test_a_supervisor_reads_every_dashboard(client: TestClient, store: Store) -> None:
    headers = bearer(store, "role:supervisor")
    for name in NAMES:
        r = client.get(f"/v1/dashboards/{name}", headers=headers)
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["name"] == name and body["title"] and body["title_zh"]
        assert all(len(row) == len(body["columns"]) for row in body["rows"])
    denials = client.get("/v1/dashboards/denials", headers=headers).json()
    assert ["airline", FLIGHT, 3, 2, 0.6667] in denials["rows"]
    assert denials["columns"][3] == {
        "name": "denied",
        "title": "Denied",
        "title_zh": "拒绝次数",
        "kind": "number",
    }


@pytest.mark.parametrize("role", ["role:auditor", "role:policy-officer", "role:admin"])
def test_the_other_oversight_roles_read_them_too(
    client: TestClient, store: Store, role: str
) -> None:
    r = client.get("/v1/dashboards/grades", headers=bearer(store, role))
    assert r.status_code == 200, r.text


def test_a_relying_party_is_forbidden_and_no_key_is_unauthorised(
    client: TestClient, store: Store
) -> None:
    r = client.get("/v1/dashboards/grades", headers=bearer(store, "transport.air.*"))
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
    r = client.get("/v1/dashboards/grades")
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorised"


def test_an_unknown_dashboard_is_not_found(client: TestClient, store: Store) -> None:
    r = client.get("/v1/dashboards/salaries", headers=bearer(store, "role:supervisor"))
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "not_found" and r.json()["error"]["field"] == "name"
