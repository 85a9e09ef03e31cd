"""The risk scorecard over HTTP: the model report and versions for supervisors and
auditors; a subject's score with its four reasons and the model version on its own
report, never on an agency's read; the refusals in the one error shape."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from socialcredit.access.keys import create_key
from socialcredit.services.agencies import grant
from socialcredit.settings import Settings
from socialcredit.store.database import Store
from socialcredit.web.app import create_app

from support.factories import resident
from support.portal_me import subject_login
from support.remedies import DEBTOR, OTHER, listed_debtor
from support.risk import BASE, SHORTFALLS, activate_card


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    resident(store, DEBTOR)
    listed_debtor(store)
    resident(store, OTHER)
    with TestClient(create_app(Settings(db=store.url), clock=store.clock)) as c:
        yield c


def bearer(store: Store, *scopes: str) -> dict[str, str]:
    _key, token = create_key(store, "k", list(scopes))
    return {"Authorization": f"Bearer {token}"}


def report(client: TestClient, code: str, **kw: Any) -> dict[str, Any]:
    r = client.get(f"/v1/subjects/{code}/report", **kw)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def test_the_subject_sees_its_score_four_reasons_and_the_model(
    client: TestClient, store: Store
) -> None:
    assert report(client, DEBTOR, headers=bearer(store, "role:subject-service"))["risk"] is None
    model = activate_card(store)
    subject_login(client, store, DEBTOR)
    risk = report(client, DEBTOR)["risk"]
    assert risk["model_version"] == model.version and risk["subject"] == DEBTOR
    # one unperformed judgment default: every feature of the card at its worst bin
    assert risk["score"] == BASE - sum(SHORTFALLS.values())
    assert [r["feature"] for r in risk["reasons"]] == list(SHORTFALLS)[:4]
    assert [r["points"] for r in risk["reasons"]] == [40.0, 30.0, 20.0, 10.0]
    assert all(r["en"] and r["zh"] for r in risk["reasons"])
    assert "no list entry or measure" in risk["use"]


def test_an_agency_reading_under_a_grant_sees_no_risk_score(
    client: TestClient, store: Store
) -> None:
    activate_card(store)
    grant(store, DEBTOR, "bank.one", "loan 17", dt.date(2026, 4, 1))
    bank = bearer(store, "role:agency:bank.one")
    body = report(client, DEBTOR, params={"purpose": "loan 17"}, headers=bank)
    assert body["subject"] == DEBTOR and body["risk"] is None


def test_a_subject_without_records_against_it_has_no_reason(
    client: TestClient, store: Store
) -> None:
    activate_card(store)
    risk = report(client, OTHER, headers=bearer(store, "role:subject-service"))["risk"]
    assert risk["score"] == BASE and risk["reasons"] == [] and risk["band"] == "medium"


def test_supervisors_and_auditors_read_the_models(client: TestClient, store: Store) -> None:
    assert client.get("/v1/risk/models", headers=bearer(store, "role:auditor")).json() == []
    model = activate_card(store)
    for role in ("supervisor", "auditor"):
        body = client.get("/v1/risk/models", headers=bearer(store, f"role:{role}")).json()
        assert [(m["version"], m["state"], m["dry_run"]) for m in body] == [
            (model.version, "active", True)
        ]


def test_the_report_needs_an_active_model(client: TestClient, store: Store) -> None:
    r = client.get("/v1/risk/report", headers=bearer(store, "role:supervisor"))
    assert r.status_code == 404 and r.json()["error"]["code"] == "no_risk_model"


@pytest.mark.parametrize("path", ["/v1/risk/report", "/v1/risk/models"])
def test_others_are_refused(client: TestClient, store: Store, path: str) -> None:
    r = client.get(path, headers=bearer(store, "role:reviewer"))
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
    assert client.get(path).status_code == 401


def test_a_bad_number_of_months_is_refused(client: TestClient, store: Store) -> None:
    r = client.get("/v1/risk/report?months=0", headers=bearer(store, "role:supervisor"))
    assert r.status_code in (400, 422) and "error" in r.json()


def test_the_report_gives_the_evaluation_and_the_stability(
    client: TestClient, store: Store
) -> None:
    model = activate_card(store)
    r = client.get("/v1/risk/report?months=2", headers=bearer(store, "role:auditor"))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["model"]["version"] == model.version
    assert body["evaluation"]["auc"] == 0.75 and body["evaluation"]["baseline_auc"] == 0.7
    assert "reference" not in body["evaluation"]
    # January and February: one subject below 550 (the debtor), one above, against a
    # reference of a quarter and three quarters
    psi = 0.25 * math.log(2) + 0.25 * math.log(1.5)
    assert [m["month"] for m in body["stability"]] == ["2026-01", "2026-02"]
    assert [m["subjects"] for m in body["stability"]] == [2, 2]
    assert body["stability"][1]["psi"] == pytest.approx(psi)
    assert body["stability"][1]["psi_month"] == pytest.approx(0.0)
    assert body["retrain_due"] is (psi > 0.25) is True
    assert [f["name"] for f in body["card"]["features"]] == list(SHORTFALLS)
