"""Purpose limitation for relying parties: a bulk check states its purpose and a
transaction reference per subject (logged with every decision), a key checks only the
actions its scopes name, and each key has a request rate limit (429, Retry-After)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import orjson
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from typer.testing import CliRunner

from socialcredit.access.keys import KeyRing, create_key
from socialcredit.access.rates import RateLimited, RateLimiter
from socialcredit.cli import app as cli
from socialcredit.errors import SocialCreditError
from socialcredit.settings import Settings
from socialcredit.store.database import Store
from socialcredit.store.tables import api_keys, decision_log
from socialcredit.web.app import create_app

from support.factories import ingest_on, judgment_default, person_id

DEBTOR = person_id(seq=91)
AIR = "transport.air.ticket"


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    ingest_on(
        store,
        "2025-06-01",
        judgment_default(
            ref="c-91",
            subject=DEBTOR,
            occurred_at="2025-06-01",
            attributes={"case_no": "c-91", "ground": "evades_enforcement"},
        ),
    )
    with TestClient(create_app(Settings(db=store.url), clock=store.clock)) as c:
        yield c


def auth(store: Store, *scopes: str, rate: float | None = None) -> dict[str, str]:
    _key, token = create_key(store, "airline", list(scopes), rate)
    return {"Authorization": f"Bearer {token}"}


def logged(store: Store) -> list[Any]:
    with store.reader() as conn:
        return conn.execute(
            select(
                decision_log.c.subject,
                decision_log.c.outcome,
                decision_log.c.purpose,
                decision_log.c.reference,
            ).order_by(decision_log.c.seq)
        ).all()


def test_every_check_of_a_bulk_request_is_logged_with_purpose_and_reference(
    store: Store, client: TestClient
) -> None:
    other = person_id(seq=92)
    body = {
        "purpose": "boarding manifest screening",
        "checks": [
            {"subject": DEBTOR, "action": AIR, "reference": "MU5101/2026-03-02/12A"},
            {"subject": other, "action": AIR, "reference": "MU5101/2026-03-02/12B"},
        ],
    }
    r = client.post("/v1/checks", json=body, headers=auth(store, "transport.air.*"))
    assert r.status_code == 200
    client.app.state.enforcement.log.flush()  # type: ignore[attr-defined]
    assert [tuple(row) for row in logged(store)] == [
        (DEBTOR, "deny", "boarding manifest screening", "MU5101/2026-03-02/12A"),
        (other, "allow", "boarding manifest screening", "MU5101/2026-03-02/12B"),
    ]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"purpose": "p", "checks": [{"subject": DEBTOR, "action": AIR}]}, "checks.0.reference"),
        ({"checks": [{"subject": DEBTOR, "action": AIR, "reference": "r"}]}, "checks.0.purpose"),
        (
            {
                "checks": [
                    {"subject": DEBTOR, "action": AIR, "reference": "r", "purpose": "sale"},
                    {"subject": DEBTOR, "action": AIR, "reference": "s"},
                ]
            },
            "checks.1.purpose",
        ),
    ],
)
def test_a_bulk_check_without_purpose_or_reference_is_refused(
    store: Store, client: TestClient, body: dict[str, Any], field: str
) -> None:
    r = client.post("/v1/checks", json=body, headers=auth(store, "transport.air.*"))
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "malformed" and r.json()["error"]["field"] == field
    assert logged(store) == []


def test_a_single_check_may_state_them_and_they_are_logged(
    store: Store, client: TestClient
) -> None:
    body = {"subject": DEBTOR, "action": AIR, "purpose": "ticket sale", "reference": "PNR-7"}
    r = client.post("/v1/checks", json=body, headers=auth(store, AIR))
    assert r.status_code == 200 and r.json()["reference"] == "PNR-7"
    client.app.state.enforcement.log.flush()  # type: ignore[attr-defined]
    assert [tuple(row) for row in logged(store)] == [(DEBTOR, "deny", "ticket sale", "PNR-7")]


@pytest.mark.parametrize("scope", ["*", "*.ticket", "transport", "transport*", "Transport.air"])
def test_a_scope_must_name_actions(store: Store, scope: str) -> None:
    with pytest.raises(SocialCreditError) as err:
        create_key(store, "x", [scope])
    assert err.value.code == "invalid_key" and err.value.field == "scopes"


def test_role_only_keys_and_stored_wildcards_check_nothing(
    store: Store, client: TestClient
) -> None:
    reviewer = auth(store, "role:reviewer")
    r = client.post("/v1/checks", json={"subject": DEBTOR, "action": AIR}, headers=reviewer)
    assert r.status_code == 403 and "scopes name the actions" in r.json()["error"]["message"]
    # a key stored with a bare * (before scopes were checked) may not check either
    key, token = create_key(store, "legacy", ["transport.air.*"])
    with store.writer() as conn:
        conn.execute(update(api_keys).where(api_keys.c.id == key.id).values(scopes='["*"]'))
    legacy = {"Authorization": f"Bearer {token}"}
    r = client.post("/v1/checks", json={"subject": DEBTOR, "action": AIR}, headers=legacy)
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"


def test_a_key_over_its_rate_is_told_when_to_come_back(store: Store, client: TestClient) -> None:
    headers = auth(store, AIR, rate=2)
    body = {"subject": DEBTOR, "action": AIR}
    assert [client.post("/v1/checks", json=body, headers=headers).status_code for _ in "ab"] == [
        200,
        200,
    ]
    r = client.post("/v1/checks", json=body, headers=headers)
    assert r.status_code == 429 and r.json()["error"]["code"] == "rate_limited"
    assert int(r.headers["retry-after"]) >= 1
    # the other keys are not held back by this one
    assert client.post("/v1/checks", json=body, headers=auth(store, AIR)).status_code == 200
    # the documented route (without the lane) answers the same
    route = create_app(Settings(db=store.url), clock=store.clock, check_lane=False)
    with TestClient(route) as plain:
        slow = auth(store, AIR, rate=1)
        assert plain.post("/v1/checks", json=body, headers=slow).status_code == 200
        again = plain.post("/v1/checks", json=body, headers=slow)
    assert again.status_code == 429 and again.json()["error"]["code"] == "rate_limited"
    assert again.headers["retry-after"] == "1"


def test_the_bucket_refills_at_the_key_rate(store: Store) -> None:
    now = [100.0]
    limiter = RateLimiter(now=lambda: now[0])
    _key, token = create_key(store, "bank", ["finance.loan"], rate=1)
    ring = KeyRing(store, limiter=limiter)
    ring.authenticate(token)
    with pytest.raises(RateLimited) as err:
        ring.authenticate(token)
    assert err.value.retry_after_seconds == 1
    now[0] += 1.0
    ring.authenticate(token)  # one second later: one more request
    with pytest.raises(SocialCreditError) as bad:
        create_key(store, "bank", ["finance.loan"], rate=0)
    assert bad.value.field == "rate"


def test_the_cli_check_logs_its_purpose(store: Store, client: TestClient) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "--db",
            store.url,
            "check",
            DEBTOR,
            AIR,
            "--purpose",
            "counter sale",
            "--reference",
            "T-1",
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 0 and "purpose: counter sale; reference: T-1" in result.output
    ((_subject, outcome, purpose, reference),) = logged(store)
    assert (outcome, purpose, reference) == ("deny", "counter sale", "T-1")


def test_keys_list_shows_the_rate(store: Store) -> None:
    create_key(store, "bank", ["finance.loan"], rate=5)
    result = CliRunner().invoke(cli, ["--db", store.url, "keys", "list", "--json"])
    assert orjson.loads(result.output)[0]["rate_per_second"] == 5
