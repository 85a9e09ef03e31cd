"""/v1/objections, /v1/appeals and /v1/repairs: roles by API key scope, one error shape."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from socialcredit.store.database import Store

from support.api import Keys, app_client, bearer_keys, error, ok
from support.factories import ingest_on
from support.remedies import CASE_NO, DEBTOR, FIRM, dishonest, listed_debtor, move

ROLES = {
    "subjects": ["role:subject-service"],
    "court": ["role:provider:spc.national"],
    "tax": ["role:provider:sat.national"],
    "reviewer": ["role:reviewer"],
    "appeals": ["role:appeal-reviewer"],
    "airline": ["transport.air.*", "procurement.*"],
}


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    listed_debtor(store)
    ingest_on(store, "2024-06-01", dishonest("D-1", "2024-06-01"))  # in force since 2024-06-11
    with app_client(store) as c:
        yield c


@pytest.fixture
def keys(store: Store) -> Keys:
    return bearer_keys(store, ROLES)


def file(client: TestClient, keys: Keys) -> str:
    entry = f"court_defaulters:{DEBTOR}:{CASE_NO}"
    body = {"subject": DEBTOR, "entry": entry, "grounds": "wrong", "evidence": "receipt"}
    error(client.post("/v1/objections", json=body), 401, "unauthorised")
    error(client.post("/v1/objections", json=body, headers=keys["airline"]), 403, "forbidden")
    created = ok(client.post("/v1/objections", json=body, headers=keys["subjects"]), 201)
    return str(created["case"]["case"])


def file_again(client: TestClient, keys: Keys) -> str:
    """A second objection filed the same day, about the firm's listing."""
    entry = f"serious_illegal_dishonest_enterprises:{FIRM}:D-1"
    body = {"subject": FIRM, "entry": entry, "grounds": "wrong", "evidence": "receipt"}
    created = ok(client.post("/v1/objections", json=body, headers=keys["subjects"]), 201)
    return str(created["case"]["case"])


def test_an_objection_from_filing_to_decision(client: TestClient, keys: Keys) -> None:
    case = file(client, keys)
    path = f"/v1/objections/{case}"
    error(client.get("/v1/objections", headers=keys["airline"]), 403, "forbidden")
    assert [
        c["case"] for c in ok(client.get("/v1/objections", headers=keys["court"]))["cases"]
    ] == [case]
    assert ok(client.get("/v1/objections", headers=keys["tax"]))["cases"] == []
    # a case the key may not read answers as one that does not exist (no counting)
    error(client.get(path, headers=keys["tax"]), 404, "not_found")
    assert ok(client.get(path, headers=keys["reviewer"]))["case"]["state"] == "filed"
    answer = {"outcome": "upheld", "reasons": "unpaid"}
    error(
        client.post(f"{path}/answer", json=answer, headers=keys["court"]), 409, "invalid_transition"
    )
    error(client.post(f"{path}/accept", headers=keys["court"]), 403, "forbidden")
    ok(client.post(f"{path}/accept", headers=keys["reviewer"]))
    error(client.post(f"{path}/answer", json=answer, headers=keys["tax"]), 404, "not_found")
    error(
        client.post(
            f"{path}/answer", json={"outcome": "maybe", "reasons": "x"}, headers=keys["court"]
        ),
        422,
        "malformed",
    )
    answered = ok(client.post(f"{path}/answer", json=answer, headers=keys["court"]))
    assert answered["case"]["state"] == "answered" and answered["subject"]["lists"]
    decided = ok(
        client.post(f"{path}/decide", json={"reasons": "upheld"}, headers=keys["reviewer"])
    )
    assert decided["case"]["outcome"] == "upheld"
    assert decided["case"]["steps"][-1]["attributes"]["decided_by"].startswith("reviewer (key ")
    error(client.get("/v1/objections/OBJ-20990101-9", headers=keys["reviewer"]), 404, "not_found")


def test_a_case_id_is_unguessable_and_an_unreadable_case_answers_as_a_missing_one(
    client: TestClient, keys: Keys
) -> None:
    first, second = file(client, keys), file_again(client, keys)
    for case in (first, second):
        assert re.fullmatch(r"OBJ-\d{8}-[0-9a-f]{12}", case), case
    assert first[:13] == second[:13] and first != second  # the same day, no sequence
    missing = first[:13] + ("0" * 12 if first[13:] != "0" * 12 else "1" * 12)
    steps = [("GET", "", None), ("POST", "/accept", None), ("POST", "/decide", {"reasons": "r"})]
    for method, step, body in steps:
        answers = [
            client.request(method, f"/v1/objections/{case}{step}", headers=keys["tax"], json=body)
            for case in (first, missing)
        ]
        # a step the key's roles cannot take is refused by the permission table before
        # the case is looked at (403 for both); a read, after the look-up (404 for both)
        assert [a.status_code for a in answers] == ([404, 404] if not step else [403, 403]), step
        bodies = [a.json()["error"] for a in answers]
        assert bodies[0] == {**bodies[1], "message": bodies[1]["message"].replace(missing, first)}


def test_an_appeal_with_a_suspended_listing(client: TestClient, keys: Keys, store: Store) -> None:
    case = file(client, keys)
    path = f"/v1/objections/{case}"
    ok(client.post(f"{path}/accept", headers=keys["reviewer"]))
    answer = {"outcome": "upheld", "reasons": "unpaid"}
    ok(client.post(f"{path}/answer", json=answer, headers=keys["court"]))
    ok(client.post(f"{path}/decide", json={"reasons": "upheld"}, headers=keys["reviewer"]))
    flight = {"subject": DEBTOR, "action": "transport.air.ticket"}
    assert ok(client.post("/v1/checks", json=flight, headers=keys["airline"]))["outcome"] == "deny"
    appeal = {"case": case, "grounds": "wrong"}
    ok(client.post("/v1/appeals", json=appeal, headers=keys["subjects"]), 201)
    error(
        client.post("/v1/appeals", json=appeal, headers=keys["subjects"]), 409, "already_appealed"
    )
    pending = ok(client.get("/v1/appeals", headers=keys["appeals"]))["cases"]
    assert [c["case"] for c in pending] == [case]
    apath = f"/v1/appeals/{case}"
    error(client.post(f"{apath}/suspend", json={}, headers=keys["reviewer"]), 403, "forbidden")
    suspended = ok(
        client.post(f"{apath}/suspend", json={"reasons": "doubt"}, headers=keys["appeals"])
    )
    assert suspended["case"]["listing_suspended"] is True
    assert ok(client.post("/v1/checks", json=flight, headers=keys["airline"]))["outcome"] == "allow"
    decide = {"outcome": "upheld", "reasons": "the listing was right"}
    ok(client.post(f"{apath}/decide", json=decide, headers=keys["appeals"]))
    assert ok(client.get(apath, headers=keys["subjects"]))["case"]["state"] == "appeal_decided"
    move(store, "2026-03-03")
    assert ok(client.post("/v1/checks", json=flight, headers=keys["airline"]))["outcome"] == "deny"


def test_repairs_and_the_affected_report(client: TestClient, keys: Keys, store: Store) -> None:
    bid = {"subject": FIRM, "action": "procurement.bid"}
    assert ok(client.post("/v1/checks", json=bid, headers=keys["airline"]))["outcome"] == "deny"
    entry = f"serious_illegal_dishonest_enterprises:{FIRM}:D-1"
    body = {"subject": FIRM, "entry": entry, "pledge": True}
    error(
        client.post("/v1/repairs", json=body, headers=keys["subjects"]), 422, "missing_requirement"
    )
    body["course"] = True
    case = ok(client.post("/v1/repairs", json=body, headers=keys["subjects"]), 201)["case"]["case"]
    assert [
        c["case"] for c in ok(client.get("/v1/repairs", headers=keys["reviewer"]))["cases"]
    ] == [case]
    decide = {"outcome": "accepted", "reasons": "shown"}
    error(
        client.post(f"/v1/repairs/{case}/decide", json=decide, headers=keys["appeals"]),
        403,
        "forbidden",
    )
    done = ok(client.post(f"/v1/repairs/{case}/decide", json=decide, headers=keys["reviewer"]))
    assert done["case"]["outcome"] == "accepted"
    assert ok(client.post("/v1/checks", json=bid, headers=keys["airline"]))["outcome"] == "allow"
    assert ok(client.get(f"/v1/repairs/{case}", headers=keys["reviewer"]))["case"]["state"] == (
        "decided"
    )
    error(
        client.post(f"/v1/repairs/{case}/decide", json=decide, headers=keys["reviewer"]),
        409,
        "invalid_transition",
    )

    # a refusal on a record later withdrawn is reported to the airline that asked
    flight = {"subject": DEBTOR, "action": "transport.air.ticket"}
    assert ok(client.post("/v1/checks", json=flight, headers=keys["airline"]))["outcome"] == "deny"
    move(store, "2026-03-03")
    case = file(client, keys)
    path = f"/v1/objections/{case}"
    ok(client.post(f"{path}/accept", headers=keys["reviewer"]))
    ok(
        client.post(
            f"{path}/answer",
            json={"outcome": "withdrawn", "reasons": "error"},
            headers=keys["court"],
        )
    )
    client.app.state.enforcement.close()  # type: ignore[attr-defined]  # flush the log
    everything = ok(client.get("/v1/objections/affected", headers=keys["reviewer"]))
    mine = ok(client.get("/v1/objections/affected", headers=keys["airline"]))
    assert everything["total"] == mine["total"] == 1
    assert ok(client.get("/v1/objections/affected", headers=keys["court"]))["total"] == 0
