"""GET /v1/subjects/{code} and GET /v1/lists/{list}/entries: no key, what the
disclosure rules publish, one error shape."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from socialcredit.store.database import Store

from support.api import app_client, error
from support.factories import org_id
from support.portal_public import DEBTOR_NAME, FIRM_NAME, public_world
from support.remedies import DEBTOR, FIRM


@pytest.fixture
def world(store: Store) -> dict[str, str]:
    return public_world(store)


@pytest.fixture
def client(store: Store, world: dict[str, str]) -> Iterator[TestClient]:
    with app_client(store) as c:
        yield c


def test_a_person_is_read_by_public_reference_without_a_key(
    client: TestClient, world: dict[str, str]
) -> None:
    r = client.get(f"/v1/subjects/{world[DEBTOR]}")
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["kind"], body["name"]) == ("person", "欧阳**")
    assert "grades" not in body and "decisions" not in body
    assert body["entries"][0]["list"] == "court_defaulters"
    assert DEBTOR not in r.text and DEBTOR_NAME not in r.text


def test_a_person_is_never_found_by_identity_number(client: TestClient) -> None:
    r = client.get(f"/v1/subjects/{DEBTOR}")
    assert error(r, 404, "not_found")["field"] == "code"
    assert DEBTOR not in r.text


def test_an_enterprise_is_read_by_its_code(client: TestClient) -> None:
    body = client.get(f"/v1/subjects/{FIRM.lower()}").json()
    assert (body["ref"], body["name"], body["identifier"]) == (FIRM, FIRM_NAME, FIRM)
    assert {d["type"] for d in body["decisions"]} == {"licence", "penalty"}
    assert {g["scheme"] for g in body["grades"]} >= {"national", "tax"}


def test_unknown_subjects_and_references_are_not_found(client: TestClient) -> None:
    error(client.get(f"/v1/subjects/{org_id(code='MA3C4D5E9')}"), 404, "not_found")
    error(client.get("/v1/subjects/P0000000000000000"), 404, "not_found")
    error(client.get("/v1/subjects/nonsense"), 404, "not_found")


def test_a_list_is_paged_without_a_key(client: TestClient, world: dict[str, str]) -> None:
    r = client.get("/v1/lists/court_defaulters/entries", params={"page_size": 5, "q": "欧阳"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["list"], body["page"], body["page_size"], body["total"]) == (
        "court_defaulters",
        1,
        5,
        1,
    )
    (entry,) = body["entries"]
    assert entry["ref"] == world[DEBTOR] and entry["name"] == "欧阳**"
    assert DEBTOR not in r.text


def test_a_page_beyond_a_hundred_is_refused_with_a_code(client: TestClient) -> None:
    r = client.get("/v1/lists/court_defaulters/entries", params={"page_size": 101})
    assert error(r, 422, "page_too_large")["field"] == "page_size"
    error(client.get("/v1/lists/court_defaulters/entries?page=0"), 422, "malformed")


def test_an_unknown_list_is_not_found(client: TestClient) -> None:
    assert error(client.get("/v1/lists/secret_list/entries"), 404, "not_found")["field"] == "list"


def test_the_schema_documents_the_public_routes(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    subject = paths["/v1/subjects/{code}"]["get"]
    listing = paths["/v1/lists/{list}/entries"]["get"]
    assert {"200", "401", "404", "422", "429"} <= set(subject["responses"])
    assert {"200", "401", "404", "422", "429"} <= set(listing["responses"])
    assert "security" not in subject and "security" not in listing


def test_a_bad_key_on_a_public_route_is_still_refused(client: TestClient) -> None:
    r = client.get(
        "/v1/lists/court_defaulters/entries", headers={"Authorization": "Bearer sc_wrong"}
    )
    error(r, 401, "unauthorised")
