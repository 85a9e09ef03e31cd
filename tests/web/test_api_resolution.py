"""/v1/resolution/review: reviewers, supervisors and auditors read the queue of records
without identifier; only reviewers confirm or reject; the refusals in the one error
shape."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from socialcredit.policy.resolution import ResolutionSettings
from socialcredit.remedies.objections import accept_objection, answer_objection, file_objection
from socialcredit.resolution.resolve import resolve, review_queue
from socialcredit.services.ingest import ingestor
from socialcredit.store.database import Store

from support.api import Keys, app_client, bearer_keys, error, ok
from support.factories import person_id
from support.resolution import LI, SETTINGS, ZHANG, city, hinted, person

TWIN = person_id(birth="19900512", seq=31)  # 张伟 too, born the same day, same county

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


def test_a_person_who_objected_to_the_link_is_shown_and_refused(
    client: TestClient, keys: Keys, store: Store
) -> None:
    """After a successful objection the record waits again; the queue names who
    objected, and confirming it to them is refused in the one error shape."""
    person(store, TWIN, "张伟", "1990-05-12", "371082", "371082街道99号")
    ing = ingestor(store)
    ing.ingest_dicts([hinted("H-5", name="张伟", birth_date="1990-05-12", area="371082")])
    resolve(store, ing, SETTINGS)
    [queued] = [q for q in review_queue(store) if q["ref"] == "H-5"]
    url = f"/v1/resolution/review/{queued['id']}/confirm"
    ok(client.post(url, json={"subject": ZHANG}, headers=keys["reviewer"]))
    case = file_objection(ing, ZHANG, record=queued["id"], grounds="wrong", evidence="not me")
    accept_objection(ing, case.case.id)
    answer_objection(ing, case.case.id, "withdrawn", "another 张伟")
    resolve(store, ing, ResolutionSettings(upper=0.99999, lower=SETTINGS.lower))
    by_ref = {
        q["ref"]: q
        for q in ok(client.get("/v1/resolution/review", headers=keys["reviewer"]))["records"]
    }
    assert (by_ref["H-5"]["candidate"], by_ref["H-5"]["excluded"]) == (TWIN, [ZHANG])
    assert by_ref["H-2"]["excluded"] == []
    error(client.post(url, json={"subject": ZHANG}, headers=keys["reviewer"]), 400,
          "invalid_option")  # fmt: skip
    assert ok(client.post(url, json={}, headers=keys["reviewer"]))["subject"] == TWIN


def test_only_reviewers_decide_and_strangers_see_nothing(client: TestClient, keys: Keys) -> None:
    [first, *_] = ok(client.get("/v1/resolution/review", headers=keys["reviewer"]))["records"]
    url = f"/v1/resolution/review/{first['id']}"
    for role in ("supervisor", "auditor", "airline"):
        error(client.post(f"{url}/confirm", json={}, headers=keys[role]), 403, "forbidden")
    error(client.get("/v1/resolution/review", headers=keys["airline"]), 403, "forbidden")
    error(client.get("/v1/resolution/review"), 401, "unauthorised")
    error(client.post("/v1/resolution/review/nope/reject", headers=keys["reviewer"]), 404,
          "not_found")  # fmt: skip
