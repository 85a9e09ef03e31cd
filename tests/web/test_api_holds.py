"""/v1/supervision/providers and /v1/holds: who may read the providers' reliability and
the holds, reviewers' release and rejection by API key, and the one error shape."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from socialcredit.store.database import Store

from support.api import Keys, app_client, bearer_keys, error, ok
from support.holds import CATEGORY, PROVIDER, SPIKE, flood, quiet_history

ROLES = {
    "reviewer": ["role:reviewer"],
    "supervisor": ["role:supervisor"],
    "auditor": ["role:auditor"],
    "airline": ["transport.air.*"],
}


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    quiet_history(store)
    flood(store)
    with app_client(store) as c:
        yield c


@pytest.fixture
def keys(store: Store) -> Keys:
    return bearer_keys(store, ROLES)


def test_supervisors_and_auditors_read_the_providers_reliability(
    client: TestClient, keys: Keys
) -> None:
    report = ok(client.get("/v1/supervision/providers?weeks=4", headers=keys["supervisor"]))
    assert ok(client.get("/v1/supervision/providers", headers=keys["auditor"]))["feeds"]
    (feed,) = [f for f in report["feeds"] if (f["provider"], f["category"]) == (PROVIDER, CATEGORY)]
    assert feed["hold"].startswith("HOLD-20260302-") and len(feed["series"]) == 4
    assert {c["signal"] for c in feed["components"]} >= {"volume", "late", "refused"}
    assert feed["sent"] == 16 + SPIKE and 0 <= feed["score"] <= 100
    error(client.get("/v1/supervision/providers", headers=keys["reviewer"]), 403, "forbidden")
    error(client.get("/v1/supervision/providers"), 401, "unauthorised")
    error(
        client.get("/v1/supervision/providers?weeks=0", headers=keys["auditor"]), 422, "malformed"
    )


def test_reviewers_see_the_hold_and_decide_it(client: TestClient, keys: Keys) -> None:
    (hold,) = ok(client.get("/v1/holds", headers=keys["reviewer"]))["holds"]
    assert (hold["provider"], hold["state"], hold["records"]["held"]) == (PROVIDER, "open", SPIKE)
    detail = ok(client.get(f"/v1/holds/{hold['id']}", headers=keys["supervisor"]))
    first, *_ = detail["held_records"]
    assert first["state"] == "held" and first["category"] == CATEGORY
    url = f"/v1/holds/{hold['id']}"
    error(client.post(f"{url}/release", json={}, headers=keys["supervisor"]), 403, "forbidden")
    one = ok(
        client.post(f"{url}/release", json={"records": [first["id"]]}, headers=keys["reviewer"])
    )
    assert one == {
        "hold": hold["id"],
        "outcome": "released",
        "records": [first["id"]],
        "ended": False,
    }
    error(client.post(f"{url}/reject", json={}, headers=keys["reviewer"]), 422, "malformed")
    error(
        client.post(
            f"{url}/reject",
            json={"reason": "x", "records": [first["id"]]},
            headers=keys["reviewer"],
        ),
        409,
        "not_held",
    )
    rest = ok(client.post(f"{url}/reject", json={"reason": "test data"}, headers=keys["reviewer"]))
    assert rest["ended"] and len(rest["records"]) == SPIKE - 1
    error(
        client.post(f"{url}/reject", json={"reason": "again"}, headers=keys["reviewer"]),
        409,
        "hold_closed",
    )
    error(
        client.post("/v1/holds/HOLD-x/release", json={}, headers=keys["reviewer"]), 404, "not_found"
    )
    error(client.get("/v1/holds/HOLD-x", headers=keys["auditor"]), 404, "not_found")
    ended = ok(client.get("/v1/holds?all=true", headers=keys["auditor"]))["holds"]
    assert [h["state"] for h in ended] == ["rejected"]
    assert ok(client.get("/v1/holds", headers=keys["auditor"]))["holds"] == []
