"""GET /v1/supervision/officials and /v1/supervision/jurisdictions: for supervisors and
auditors only, typed answers, the refusals in the one error shape."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from socialcredit.access.keys import create_key
from socialcredit.ledger.record import record_id
from socialcredit.settings import Settings
from socialcredit.store.database import Store
from socialcredit.web.app import create_app

from support.supervision import (
    INST_A,
    INST_C,
    MARKET_B,
    PROCUREMENT,
    SUP1,
    SUPERVISION,
    award,
    ingest,
    licence,
    record,
    setup,
    units,
)

YEAR = {"since": "2025-01-01", "until": "2025-12-31"}


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    setup(store)
    ingest(
        store,
        *units(),
        award(INST_A, "A-1", "2025-06-01", SUP1, 300_000, "single_source"),
        award(INST_A, "A-2", "2025-07-01", SUP1, 300_000, "single_source"),
        award(INST_A, "A-3", "2025-08-01", SUP1, 300_000, "single_source"),
        record(
            SUPERVISION, "d1", INST_C, "government.directive", "2025-05-06",
            directive="威政办字〔2025〕1号", task="data_reporting",
            target="market.administrative_licence", jurisdiction="371002",
            deadline="2025-06-30",
        ),
        licence(MARKET_B, "环许1", "2025-06-02", reported="2025-06-03"),
    )  # fmt: skip
    with TestClient(create_app(Settings(db=store.url), clock=store.clock)) as c:
        yield c


def bearer(store: Store, *scopes: str) -> dict[str, str]:
    _key, token = create_key(store, "k", list(scopes))
    return {"Authorization": f"Bearer {token}"}


def test_a_supervisor_reads_the_indicators(client: TestClient, store: Store) -> None:
    r = client.get(
        "/v1/supervision/officials",
        params={**YEAR, "indicator": "single_source_repeated"},
        headers=bearer(store, "role:supervisor"),
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["kind"] == "supervision.officials" and body["information_only"] is True
    [ind] = body["indicators"]
    assert ind["red_flag"] is True and ind["formula"]["min_awards"] == 3
    top = ind["units"]["institution"][0]
    assert (top["unit"], top["value"], top["group"]) == (INST_A, 1, "government/county")
    [flag] = top["flags"]
    assert flag["supplier"] == SUP1 and flag["first"] == "2025-06-01"
    assert flag["records"] == [record_id(PROCUREMENT, f"A-{n}") for n in (1, 2, 3)]


def test_an_auditor_reads_the_responsiveness_ranking(client: TestClient, store: Store) -> None:
    r = client.get(
        "/v1/supervision/jurisdictions", params=YEAR, headers=bearer(store, "role:auditor")
    )
    assert r.status_code == 200, r.text
    body = r.json()
    [d] = body["directives"]
    assert d["ranking"][0]["implemented"] == "2025-06-03" and d["on_time"] == 1
    assert body["ranking"][0]["rank"] == 1 and body["over_time"][0]["quarter"] == "2025-Q2"


@pytest.mark.parametrize("path", ["/v1/supervision/officials", "/v1/supervision/jurisdictions"])
def test_other_roles_are_forbidden_and_no_key_is_unauthorised(
    client: TestClient, store: Store, path: str
) -> None:
    r = client.get(path, headers=bearer(store, "role:reviewer"))
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
    assert client.get(path).status_code == 401


def test_the_refusals_in_the_one_error_shape(client: TestClient, store: Store) -> None:
    headers = bearer(store, "role:supervisor")
    r = client.get("/v1/supervision/officials", params={"indicator": "bribes"}, headers=headers)
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_option"
    r = client.get(
        "/v1/supervision/jurisdictions",
        params={"since": "2025-12-01", "until": "2025-01-01"},
        headers=headers,
    )
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_option"
    r = client.get("/v1/supervision/officials", params={"since": "yesterday"}, headers=headers)
    assert r.status_code == 422 and r.json()["error"]["code"] == "malformed"
