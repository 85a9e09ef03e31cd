"""/v1/justifications: a supervisor opens requests for the flagged decisions, the court's
key reads and answers its own, a reviewer's key finds each justified or not -- on SQLite
and PostgreSQL, every refusal in the one error shape."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from socialcredit.ledger.record import record_id
from socialcredit.remedies import steps as s
from socialcredit.remedies.cases import show
from socialcredit.remedies.justification import MAX_TEXT, Flag, request_justification
from socialcredit.remedies.objections import file_objection
from socialcredit.services.ingest import ingestor
from socialcredit.store.database import Store

from support.api import Keys, app_client, bearer_keys, error, ok
from support.factories import resident
from support.judges import COURT_PROVIDER, OUTLIER, court_system, flagged_case, outlier_id
from support.remedies import CASE_NO, DEBTOR, listed_debtor, move

ROLES = {
    "supervisor": ["role:supervisor"],
    "auditor": ["role:auditor"],
    "court": [f"role:provider:{COURT_PROVIDER}"],
    "other court": ["role:provider:court.other"],
    "reviewer": ["role:reviewer"],
    "appeals": ["role:appeal-reviewer"],
    "subjects": ["role:subject-service"],
}
WHY = "The defendant reoffended during probation (Criminal Law art. 77)."


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    with app_client(store) as c:
        yield c


@pytest.fixture
def keys(store: Store) -> Keys:
    return bearer_keys(store, ROLES)


def listed(client: TestClient, key: dict[str, str], query: str = "") -> list[str]:
    return [c["case"] for c in ok(client.get(f"/v1/justifications{query}", headers=key))["cases"]]


def test_a_flagged_decision_from_the_supervisors_request_to_the_reviewers_finding(
    client: TestClient, keys: Keys, store: Store
) -> None:
    court_system(store)
    resident(store, OUTLIER)
    error(client.post("/v1/justifications", headers=keys["reviewer"]), 403, "forbidden")
    run = ok(client.post("/v1/justifications", json={}, headers=keys["supervisor"]))
    assert run["flagged"] == 1
    [opened] = run["opened"]
    case = opened["case"]
    assert (opened["judge"], opened["decision"], opened["state"]) == (
        OUTLIER,
        outlier_id(),
        "requested",
    )
    # the facts of the flag: far above what comparable cases predict
    assert opened["observed"] > opened["predicted"] and opened["p_value"] < 1e-4
    assert opened["modelled"].startswith("log of the sentence")
    assert opened["answer_by"] == "2026-03-16" and opened["reviewer"] == "reviewer"
    assert opened["requested_by"].startswith("supervisor (key ")
    assert opened["next"]["who"] == f"provider:{COURT_PROVIDER}"
    # a second run opens nothing new
    assert ok(client.post("/v1/justifications", headers=keys["supervisor"]))["opened"] == []

    path = f"/v1/justifications/{case}"
    for who in ("court", "reviewer", "supervisor", "auditor"):
        assert listed(client, keys[who]) == [case], who
    assert listed(client, keys["other court"]) == []
    assert listed(client, keys["court"], "?state=answered") == []
    error(client.get("/v1/justifications", headers=keys["subjects"]), 403, "forbidden")

    error(
        client.post(
            f"{path}/decision",
            json={"outcome": "justified", "reasons": "x"},
            headers=keys["reviewer"],
        ),
        409,
        "invalid_transition",
    )
    error(
        client.post(f"{path}/answer", json={"text": WHY}, headers=keys["reviewer"]),
        403,
        "forbidden",
    )
    move(store, "2026-03-10")
    answered = ok(client.post(f"{path}/answer", json={"text": WHY}, headers=keys["court"]))
    assert answered["state"] == "answered" and answered["answer"]["text"] == WHY
    assert answered["answer"]["answered_by"].startswith("court (key ")
    assert answered["next"] == {
        "action": "decide",
        "who": "reviewer",
        "deadline": "2026-03-31",
        "optional": False,
        "overdue": False,
    }
    error(
        client.post(f"{path}/answer", json={"text": "again"}, headers=keys["court"]),
        409,
        "invalid_transition",
    )
    assert listed(client, keys["reviewer"], "?state=answered") == [case]

    error(
        client.post(
            f"{path}/decision",
            json={"outcome": "unjustified", "reasons": "x"},
            headers=keys["court"],
        ),
        403,
        "forbidden",
    )
    for body in (
        {"outcome": "maybe", "reasons": "x"},
        {"outcome": "justified"},
        {"outcome": "justified", "reasons": ""},
    ):
        error(
            client.post(f"{path}/decision", json=body, headers=keys["reviewer"]), 422, "malformed"
        )
    decided = ok(
        client.post(
            f"{path}/decision",
            json={"outcome": "unjustified", "reasons": "probation was never revoked"},
            headers=keys["reviewer"],
        )
    )
    assert (decided["state"], decided["open"], decided["next"]) == ("decided", False, None)
    assert decided["finding"]["outcome"] == "unjustified"
    assert decided["finding"]["decided_by"].startswith("reviewer (key ")
    assert [s["state"] for s in decided["steps"]] == ["requested", "answered", "decided"]
    error(
        client.post(
            f"{path}/decision",
            json={"outcome": "justified", "reasons": "x"},
            headers=keys["reviewer"],
        ),
        409,
        "invalid_transition",
    )
    # closed: off the open list, still readable by the court
    assert listed(client, keys["court"]) == []
    assert ok(client.get(path, headers=keys["court"]))["finding"]["reasons"] == (
        "probation was never revoked"
    )


def test_the_courts_text_is_bounded_and_not_empty(
    client: TestClient, keys: Keys, store: Store
) -> None:
    case = flagged_case(store)
    path = f"/v1/justifications/{case}/answer"
    court = keys["court"]
    for body, where in (
        ({"text": "x" * (MAX_TEXT + 1)}, "text"),
        ({"text": ""}, "text"),
        ({}, "text"),
        ({"text": WHY, "signed": "me"}, "signed"),
    ):
        refused = error(client.post(path, json=body, headers=court), 422, "malformed")
        assert refused["field"] == where
    refused = error(client.post(path, json={"text": "   "}, headers=court), 422, "malformed")
    assert refused["field"] == "justification"
    assert show(store, case).case.state == "requested"
    assert ok(client.post(path, json={"text": "x" * MAX_TEXT}, headers=court))["answer"]


def test_another_courts_request_answers_exactly_as_a_missing_one(
    client: TestClient, keys: Keys, store: Store
) -> None:
    case = flagged_case(store)
    missing = case[:13] + ("0" * 12 if case[13:] != "0" * 12 else "1" * 12)
    for method, step, body in (
        ("GET", "", None),
        ("POST", "/answer", {"text": WHY}),
    ):
        answers = [
            client.request(
                method, f"/v1/justifications/{c}{step}", headers=keys["other court"], json=body
            )
            for c in (case, missing)
        ]
        assert [a.status_code for a in answers] == [404, 404], step
        first, second = (a.json()["error"] for a in answers)
        assert first == {**second, "message": second["message"].replace(missing, case)}
    # a reviewer's key of a role the request does not name cannot read or decide it
    decide = {"outcome": "justified", "reasons": "x"}
    for target in (case, missing):
        error(client.get(f"/v1/justifications/{target}", headers=keys["appeals"]), 404, "not_found")
        error(
            client.post(
                f"/v1/justifications/{target}/decision", json=decide, headers=keys["appeals"]
            ),
            404,
            "not_found",
        )
    assert show(store, case).case.state == "requested"


def test_a_request_naming_another_reviewer_role_is_that_roles_to_decide(
    client: TestClient, keys: Keys, store: Store
) -> None:
    flagged_case(store)
    other = record_id(COURT_PROVIDER, "(2025)鲁1002刑初5000号")  # another of the judge's
    case = request_justification(
        ingestor(store), Flag(other, 3.0, 0.003, 0.04), requested_by="s", reviewer="appeal-reviewer"
    ).case.id
    path = f"/v1/justifications/{case}"
    ok(client.post(f"{path}/answer", json={"text": "plea agreement"}, headers=keys["court"]))
    assert case not in listed(client, keys["reviewer"])
    assert listed(client, keys["appeals"]) == [case]
    decide = {"outcome": "justified", "reasons": "the plea agreement explains it"}
    error(client.post(f"{path}/decision", json=decide, headers=keys["reviewer"]), 404, "not_found")
    found = ok(client.post(f"{path}/decision", json=decide, headers=keys["appeals"]))
    assert found["finding"]["outcome"] == "justified"
    # a request made before the analytic recorded its prediction shows none
    assert (found["observed"], found["predicted"], found["modelled"]) == (None, None, None)


def test_overdue_requests_are_listed_by_deadline(
    client: TestClient, keys: Keys, store: Store
) -> None:
    case = flagged_case(store)
    assert listed(client, keys["court"], "?overdue=true") == []
    move(store, "2026-03-17")  # the day after answer_by
    [late] = ok(client.get("/v1/justifications?overdue=true", headers=keys["court"]))["cases"]
    assert late["case"] == case and late["next"]["overdue"] is True
    error(client.get("/v1/justifications?state=decided", headers=keys["court"]), 422, "malformed")


def test_cases_of_other_kinds_stay_on_their_own_routes(
    client: TestClient, keys: Keys, store: Store
) -> None:
    """A justification request is no objection: the objection routes answer 404 for it
    (an objection's decision there once withdrew the judge's decision record), and the
    justification routes 404 for an objection."""
    case = flagged_case(store)
    ok(client.post(f"/v1/justifications/{case}/answer", json={"text": WHY}, headers=keys["court"]))
    decide = {"reasons": "x", "outcome": "withdrawn"}
    error(client.get(f"/v1/objections/{case}", headers=keys["reviewer"]), 404, "not_found")
    error(
        client.post(f"/v1/objections/{case}/decide", json=decide, headers=keys["reviewer"]),
        404,
        "not_found",
    )
    error(
        client.post(
            f"/v1/repairs/{case}/decide",
            headers=keys["reviewer"],
            json={"outcome": "accepted", "reasons": "x"},
        ),
        404,
        "not_found",
    )
    assert show(store, case).case.state == "answered"
    with store.reader() as conn:
        decision = s.get_record(conn, outlier_id())
        assert s.head_of(conn, decision).id == decision.id  # still in force

    listed_debtor(store)
    entry = f"court_defaulters:{DEBTOR}:{CASE_NO}"
    objection = file_objection(
        ingestor(store), DEBTOR, entry=entry, grounds="wrong", evidence="receipt"
    ).case.id
    for key in ("supervisor", "reviewer"):
        error(client.get(f"/v1/justifications/{objection}", headers=keys[key]), 404, "not_found")
    decide = {"outcome": "justified", "reasons": "x"}
    error(
        client.post(
            f"/v1/justifications/{objection}/decision", json=decide, headers=keys["reviewer"]
        ),
        404,
        "not_found",
    )
    assert show(store, objection).case.state == "filed"


def test_the_ledger_as_known_then_takes_an_offset_or_china_time_and_a_bounded_year(
    client: TestClient, keys: Keys, store: Store
) -> None:
    court_system(store)
    resident(store, OUTLIER)
    key = keys["supervisor"]
    for then in ("2026-03-01T10:00:00+08:00", "2026-03-01T10:00:00"):
        assert ok(client.post("/v1/justifications", json={"known_at": then}, headers=key))
    far = {"known_at": "9999-12-31T23:59:59"}
    error(client.post("/v1/justifications", json=far, headers=key), 422, "malformed")
