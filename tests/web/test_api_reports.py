"""GET /v1/subjects/{code}/report: the subject its own, an agency under a grant, a subject
service any; everyone else is refused."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from socialcredit.access.keys import create_key
from socialcredit.services.agencies import grant, reads_of, withdraw
from socialcredit.settings import Settings
from socialcredit.store.database import Store
from socialcredit.web.app import create_app

from support.portal_me import agency_login, subject_login
from support.remedies import DEBTOR, OTHER, listed_debtor, move

PURPOSE = "loan 17"
UNTIL = dt.date(2026, 4, 1)


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    listed_debtor(store)
    listed_debtor(store, subject=OTHER)
    with TestClient(create_app(Settings(db=store.url), clock=store.clock)) as c:
        yield c


def key(store: Store, *scopes: str) -> dict[str, str]:
    _key, token = create_key(store, "k", list(scopes))
    return {"Authorization": f"Bearer {token}"}


def error(r: Any, status: int, code: str) -> None:
    assert r.status_code == status, r.text
    assert r.json()["error"]["code"] == code


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
    bank = key(store, "role:agency:bank.one")
    error(client.get(url(DEBTOR, PURPOSE), headers=bank), 403, "not_authorised")
    made = grant(store, DEBTOR, "bank.one", PURPOSE, UNTIL)
    assert client.get(url(DEBTOR, PURPOSE), headers=bank).json()["subject"] == DEBTOR
    [read] = reads_of(store, DEBTOR)
    assert read.agency == "bank.one" and read.grant_id == made.id
    error(client.get(url(DEBTOR, "marketing"), headers=bank), 403, "not_authorised")
    error(client.get(url(DEBTOR), headers=bank), 403, "not_authorised")
    error(client.get(url(OTHER, PURPOSE), headers=bank), 403, "not_authorised")
    other = key(store, "role:agency:bank.two")
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
    service = key(store, "role:subject-service")
    assert client.get(url(OTHER), headers=service).json()["subject"] == OTHER
    error(client.get(url(DEBTOR), headers=key(store, "role:reviewer")), 403, "forbidden")
    error(client.get(url(DEBTOR), headers=key(store, "transport.air.*")), 403, "forbidden")


def test_the_report_route_is_documented(client: TestClient) -> None:
    op = client.get("/openapi.json").json()["paths"]["/v1/subjects/{code}/report"]["get"]
    assert {"200", "403", "404"} <= set(op["responses"])
    assert op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "ReportOut"
    )
