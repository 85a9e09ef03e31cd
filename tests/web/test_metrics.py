"""GET /metrics: requests by route template and status, checks by outcome, records by code."""

from __future__ import annotations

from collections.abc import Iterator

import orjson
import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from socialcredit.settings import Settings
from socialcredit.store.database import Store
from socialcredit.web.app import create_app

from support.factories import PERSON, judgment_default
from support.portal_ops import bearer
from support.remedies import DEBTOR, listed_debtor

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def samples(client: TestClient) -> Samples:
    r = client.get("/metrics")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/plain")
    out: Samples = {}
    for family in text_string_to_metric_families(r.text):
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def requests(found: Samples, method: str, route: str, status: str) -> float:
    labels = (("method", method), ("route", route), ("status", status))
    return found.get(("socialcredit_http_requests_total", labels), 0.0)


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(db=store.url), clock=store.clock)) as c:
        yield c


def test_requests_count_under_the_route_template_not_the_path(client: TestClient) -> None:
    for case in ("OBJ-1", "OBJ-2", "OBJ-3"):
        assert client.get(f"/v1/objections/{case}").status_code == 401
    client.get("/v1/health")
    client.get("/no/such/page")
    found = samples(client)
    assert requests(found, "GET", "/v1/objections/{case}", "401") == 3
    assert requests(found, "GET", "/v1/health", "200") == 1
    assert requests(found, "GET", "unmatched", "404") == 1
    assert not any("OBJ-1" in str(labels) for _name, labels in found)
    latency = ("method", "GET"), ("route", "/v1/health"), ("status", "200")
    assert found[("socialcredit_http_request_seconds_count", latency)] == 1


def test_checks_are_counted_by_outcome_on_both_paths(store: Store) -> None:
    listed_debtor(store, occurred="2025-12-01")
    airline = bearer(store, "transport.air.*", name="airline")
    for lane in (True, False):
        app = create_app(Settings(db=store.url), clock=store.clock, check_lane=lane)
        with TestClient(app) as client:
            checks = [
                {"subject": DEBTOR, "action": "transport.air.ticket", "reference": "T-1"},
                {"subject": PERSON, "action": "transport.air.ticket", "reference": "T-2"},
            ]
            r = client.post(
                "/v1/checks",
                content=orjson.dumps({"purpose": "ticket sale", "checks": checks}),
                headers={**airline, "Content-Type": "application/json"},
            )
            assert r.status_code == 200, r.text
            outcomes = [d["outcome"] for d in r.json()["decisions"]]
            found = samples(client)
            for outcome in set(outcomes):
                counted = found[("socialcredit_checks_total", (("outcome", outcome),))]
                assert counted == outcomes.count(outcome)
            assert "deny" in outcomes and "allow" in outcomes


def test_records_ingested_are_counted_by_outcome(client: TestClient, store: Store) -> None:
    rows = [judgment_default(ref="M-1"), judgment_default(ref="M-1"), {"ref": "x"}]
    r = client.post("/v1/records", json=rows, headers=bearer(store, "role:provider:spc.national"))
    assert r.status_code == 200, r.text
    found = samples(client)
    counted = {
        dict(labels)["outcome"]: value
        for (name, labels), value in found.items()
        if name == "socialcredit_records_ingested_total"
    }
    assert counted == {"accepted": 1, "duplicate": 1, "malformed": 1}


def test_each_app_has_its_own_registry(store: Store) -> None:
    with TestClient(create_app(Settings(db=store.url), clock=store.clock)) as one:
        one.get("/v1/health")
    with TestClient(create_app(Settings(db=store.url), clock=store.clock)) as two:
        assert requests(samples(two), "GET", "/v1/health", "200") == 0
