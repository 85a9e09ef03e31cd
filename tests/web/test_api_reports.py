"""GET /v1/subjects/{code}/report: the subject its own, an agency under a grant, a subject
service any; everyone else is refused."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from socialcredit.services.agencies import grant, reads_of, withdraw
from socialcredit.store.database import Store

from support.api import app_client, bearer, error
from support.portal_me import agency_login, subject_login
from support.remedies import DEBTOR, OTHER, listed_debtor, move

PURPOSE = "loan 17"
UNTIL = dt.date(2026, 4, 1)


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    listed_debtor(store)
    listed_debtor(store, subject=OTHER)
    with app_client(store) as c:
        yield c


def url(code: str, purpose: str | None = None) -> str:
    return f"/v1/subjects/{code}/report" + (f"?purpose={purpose}" if purpose else "")


def test_a_subject_reads_its_own_report_and_no_other(client: TestClient, store: Store) -> None:
    error(client.get(url(DEBTOR)), 401, "unauthorised")
    subject_login(client, store, DEBTOR)
    body = client.get(url(DEBTOR.lower())).json()
    assert body["subject"] == DEBTOR
    assert [e["list"] for e in body["entries"]] == ["court_defaulters"]
    assert body["measures"] and all(m["actions"] for m in body["measures"])
    assert all(c["legal_basis"] and c["expires_on"] for c in body["contributions"])
    # another subject's code: as if nothing were recorded about it
    error(client.get(url(OTHER)), 404, "not_found")
    error(client.get(url("123")), 400, "invalid_identifier")


def test_an_agency_reads_only_under_a_grant_in_force(client: TestClient, store: Store) -> None:
    bank = bearer(store, "k", ["role:agency:bank.one"])
    error(client.get(url(DEBTOR, PURPOSE), headers=bank), 403, "not_authorised")
    made = grant(store, DEBTOR, "bank.one", PURPOSE, UNTIL)
    assert client.get(url(DEBTOR, PURPOSE), headers=bank).json()["subject"] == DEBTOR
    [read] = reads_of(store, DEBTOR)
    assert read.agency == "bank.one" and read.grant_id == made.id
    error(client.get(url(DEBTOR, "marketing"), headers=bank), 403, "not_authorised")
    error(client.get(url(DEBTOR), headers=bank), 403, "not_authorised")
    error(client.get(url(OTHER, PURPOSE), headers=bank), 403, "not_authorised")
    other = bearer(store, "k", ["role:agency:bank.two"])
    error(client.get(url(DEBTOR, PURPOSE), headers=other), 403, "not_authorised")
    withdraw(store, DEBTOR, made.id)
    error(client.get(url(DEBTOR, PURPOSE), headers=bank), 403, "not_authorised")
    assert len(reads_of(store, DEBTOR)) == 1


def test_after_its_last_day_a_grant_reads_nothing(client: TestClient, store: Store) -> None:
    agency_login(client, store, "bank.one")
    grant(store, DEBTOR, "bank.one", PURPOSE, dt.date(2026, 3, 10))
    assert client.get(url(DEBTOR, PURPOSE)).status_code == 200
    move(store, "2026-03-11")
    error(client.get(url(DEBTOR, PURPOSE)), 403, "not_authorised")


def test_a_subject_service_reads_any_other_keys_are_refused(
    client: TestClient, store: Store
) -> None:
    service = bearer(store, "k", ["role:subject-service"])
    assert client.get(url(OTHER), headers=service).json()["subject"] == OTHER
    error(client.get(url(DEBTOR), headers=bearer(store, "k", ["role:reviewer"])), 403, "forbidden")
    error(
        client.get(url(DEBTOR), headers=bearer(store, "k", ["transport.air.*"])), 403, "forbidden"
    )


def test_the_report_route_is_documented(client: TestClient) -> None:
    op = client.get("/openapi.json").json()["paths"]["/v1/subjects/{code}/report"]["get"]
    assert {"200", "403", "404"} <= set(op["responses"])
    assert op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "ReportOut"
    )
