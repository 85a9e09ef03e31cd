"""GET /v1/supervision/judges: the judges' deviation report, for supervisors and
auditors only."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from socialcredit.access.keys import create_key
from socialcredit.settings import Settings
from socialcredit.store.database import Store
from socialcredit.web.app import create_app

from support.judges import BIASED, court_system, outlier_id


@pytest.fixture
def client(sqlite_store: Store) -> Iterator[TestClient]:
    court_system(sqlite_store)
    app = create_app(Settings(db=sqlite_store.url), clock=sqlite_store.clock)
    with TestClient(app) as c:
        yield c


def _bearer(store: Store, scope: str) -> dict[str, str]:
    _key, token = create_key(store, "k", [scope])
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize("role", ["role:supervisor", "role:auditor"])
def test_supervisors_and_auditors_read_the_report(
    client: TestClient, sqlite_store: Store, role: str
) -> None:
    r = client.get("/v1/supervision/judges", headers=_bearer(sqlite_store, role))
    assert r.status_code == 200, r.text
    body = r.json()
    assert [j["judge"] for j in body["judges"] if j["flagged"]] == [BIASED]
    assert [f["decision"] for f in body["flags"]] == [outlier_id()]
    assert body["fdr"] == 0.05 and body["fits"][0]["case_type"] == "criminal"


@pytest.mark.parametrize("role", ["role:reviewer", "role:policy-officer"])
def test_other_roles_are_refused(client: TestClient, sqlite_store: Store, role: str) -> None:
    r = client.get("/v1/supervision/judges", headers=_bearer(sqlite_store, role))
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "forbidden"
