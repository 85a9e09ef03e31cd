"""/v1/resolution/review: reviewers, supervisors and auditors read the queue of records
without identifier; only reviewers confirm or reject; the refusals in the one error
shape."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from socialcredit.resolution.resolve import resolve
from socialcredit.services.ingest import ingestor
from socialcredit.store.database import Store

from support.api import Keys, app_client, bearer_keys, error, ok
from support.resolution import LI, SETTINGS, city, hinted

ROLES = {
    "reviewer": ["role:reviewer"],
    "supervisor": ["role:supervisor"],
    "auditor": ["role:auditor"],
    "airline": ["transport.air.*"],
}


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    city(store)
    ing = ingestor(store)
    ing.ingest_dicts([
        hinted("H-2", name="Li Na", birth_date="1990-03-02"),
        hinted("H-4", name="李那", birth_date="1990-03-02", area="371082"),
    ])  # fmt: skip
    assert resolve(store, ing, SETTINGS).review == 2
    with app_client(store) as c:
        yield c


@pytest.fixture
def keys(store: Store) -> Keys:
    return bearer_keys(store, ROLES)


def test_the_queue_then_a_confirmation_and_a_rejection(client: TestClient, keys: Keys) -> None:
    queue = ok(client.get("/v1/resolution/review", headers=keys["supervisor"]))["records"]
    assert ok(client.get("/v1/resolution/review", headers=keys["auditor"]))["records"] == queue
    by_ref = {q["ref"]: q for q in queue}
    assert by_ref["H-2"]["candidate"] == LI and by_ref["H-2"]["hint"]["name"] == "Li Na"
    assert 0.8 <= by_ref["H-2"]["probability"] < 1

    url = f"/v1/resolution/review/{by_ref['H-2']['id']}"
    done = ok(client.post(f"{url}/confirm", json={}, headers=keys["reviewer"]))
    assert done["outcome"] == "linked" and done["subject"] == LI
    assert done["by"].startswith("reviewer (key ")
    other = f"/v1/resolution/review/{by_ref['H-4']['id']}"
    assert ok(client.post(f"{other}/reject", headers=keys["reviewer"]))["outcome"] == "rejected"
    assert ok(client.get("/v1/resolution/review", headers=keys["reviewer"]))["records"] == []

    error(client.post(f"{other}/reject", headers=keys["reviewer"]), 400, "invalid_option")
    error(client.post(f"{url}/confirm", json={}, headers=keys["reviewer"]), 400, "invalid_option")


def test_only_reviewers_decide_and_strangers_see_nothing(client: TestClient, keys: Keys) -> None:
    [first, *_] = ok(client.get("/v1/resolution/review", headers=keys["reviewer"]))["records"]
    url = f"/v1/resolution/review/{first['id']}"
    for role in ("supervisor", "auditor", "airline"):
        error(client.post(f"{url}/confirm", json={}, headers=keys[role]), 403, "forbidden")
    error(client.get("/v1/resolution/review", headers=keys["airline"]), 403, "forbidden")
    error(client.get("/v1/resolution/review"), 401, "unauthorised")
    error(client.post("/v1/resolution/review/nope/reject", headers=keys["reviewer"]), 404,
          "not_found")  # fmt: skip
