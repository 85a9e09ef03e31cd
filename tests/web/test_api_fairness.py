"""GET /v1/supervision/fairness: for supervisors and auditors only, the typed report of
the hand-made store (tests/support/fairness.py), the refusals in the one error shape."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from socialcredit.access.keys import create_key
from socialcredit.settings import Settings
from socialcredit.store.database import Store
from socialcredit.web.app import create_app

from support.fairness import fill

PATH = "/v1/supervision/fairness"


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(db=store.url), clock=store.clock)) as c:
        fill(store)  # after the start: the entries are bare rows, not for the checks' cache
        yield c


def bearer(store: Store, *scopes: str) -> dict[str, str]:
    _key, token = create_key(store, "k", list(scopes))
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize("role", ["supervisor", "auditor"])
def test_supervisors_and_auditors_read_the_flags(
    client: TestClient, store: Store, role: str
) -> None:
    r = client.get(PATH, params={"day": "2026-03-01"}, headers=bearer(store, f"role:{role}"))
    assert r.status_code == 200, r.text
    body = r.json()
    flag = {"scheme": "national", "outcome": "listing", "dimension": "home_region",
            "group": "650000", "ratio": 0.55}  # fmt: skip
    assert body["flags"] == [flag]
    listing = next(o for o in body["outcomes"] if o["outcome"] == "listing")
    assert listing["population"]["events"] == 22 and listing["title_zh"] == "被列入黑名单"


def test_others_are_refused(client: TestClient, store: Store) -> None:
    r = client.get(PATH, headers=bearer(store, "role:reviewer"))
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
    assert client.get(PATH).status_code == 401


def test_a_bad_day_is_refused(client: TestClient, store: Store) -> None:
    r = client.get(PATH, params={"day": "March"}, headers=bearer(store, "role:supervisor"))
    assert r.status_code in (400, 422) and "error" in r.json()
