"""/admin (accounts, keys, providers) and /audit (chain, decisions, safeguards) pages."""

from __future__ import annotations

import re
from collections.abc import Iterator

import orjson
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from socialcredit.access.keys import list_keys
from socialcredit.access.users import authenticate, list_users
from socialcredit.settings import Settings
from socialcredit.store.database import Store
from socialcredit.store.tables import audit_log
from socialcredit.web.app import create_app

from support.factories import judgment_default
from support.portal import csrf_of
from support.portal_ops import PASSWORD, bearer, error, login, record_count
from support.remedies import DEBTOR, listed_debtor

EN = {"Accept-Language": "en"}


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(db=store.url), clock=store.clock), headers=EN) as c:
        yield c


@pytest.fixture
def admin(client: TestClient, store: Store) -> TestClient:
    login(client, store, "root", "admin")
    return client


def test_the_admin_page_lists_accounts_keys_and_providers_never_secrets(
    admin: TestClient, store: Store
) -> None:
    headers = bearer(store, "role:provider:spc.national", name="court feed")
    token = headers["Authorization"].removeprefix("Bearer ")
    page = admin.get("/admin")
    assert page.status_code == 200
    text = page.text
    assert "root" in text and "court feed" in text and "spc.national" in text
    assert token not in text and token.split("_", 2)[2] not in text
    assert text.count("<h1") == 1 and 'lang="en"' in text


def test_an_account_made_on_the_form_can_log_in(admin: TestClient, store: Store) -> None:
    form = {
        "csrf": csrf_of(admin.get("/admin").text),
        "id": "wang",
        "name": "王审核",
        "role": "reviewer",
        "password": PASSWORD,
    }
    r = admin.post("/admin/users", data=form, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/admin?done=account"
    assert "The account was created." in admin.get("/admin?done=account").text
    assert authenticate(store, "wang", PASSWORD).role == "reviewer"


def test_a_refused_account_is_an_error_page_and_nothing_is_made(
    admin: TestClient, store: Store
) -> None:
    form = {"csrf": csrf_of(admin.get("/admin").text), "id": "li", "name": "李",
            "role": "subject", "password": PASSWORD}  # fmt: skip
    r = admin.post("/admin/users", data=form)
    assert r.status_code == 400 and "invalid_account" in r.text
    form.update(role="reviewer", password="short")
    assert admin.post("/admin/users", data=form).status_code == 400
    assert [a.id for a in list_users(store)] == ["root"]


def test_a_key_made_on_the_form_shows_its_token_once_and_works(
    admin: TestClient, store: Store
) -> None:
    form = {"csrf": csrf_of(admin.get("/admin").text), "name": "court",
            "scopes": "role:provider:spc.national", "rate": ""}  # fmt: skip
    r = admin.post("/admin/keys", data=form)
    assert r.status_code == 200
    found = re.search(r"sc_[0-9a-f]+_[A-Za-z0-9_-]+", r.text)
    assert found, "the new key's token is not shown"
    token = found.group(0)
    assert token not in admin.get("/admin").text
    records = admin.post(
        "/v1/records",
        json=[judgment_default(ref="K-1")],
        headers={"Authorization": f"Bearer {token}"},
    )
    assert records.json()["accepted"] == 1


def test_a_bad_scope_or_rate_is_refused_and_no_key_made(admin: TestClient, store: Store) -> None:
    csrf = csrf_of(admin.get("/admin").text)
    r = admin.post("/admin/keys", data={"csrf": csrf, "name": "x", "scopes": "*"})
    assert r.status_code == 400 and "invalid_key" in r.text
    r = admin.post("/admin/keys", data={"csrf": csrf, "name": "x", "scopes": "a.b", "rate": "fast"})
    assert r.status_code == 400 and "invalid_key" in r.text
    assert list_keys(store) == []


def test_a_revoked_key_is_refused_at_once(admin: TestClient, store: Store) -> None:
    headers = bearer(store, "role:provider:spc.national")
    rows = [judgment_default(ref="V-1")]
    assert admin.post("/v1/records", json=rows, headers=headers).status_code == 200
    (key,) = list_keys(store)
    csrf = csrf_of(admin.get("/admin").text)
    r = admin.post(f"/admin/keys/{key['id']}/revoke", data={"csrf": csrf}, follow_redirects=False)
    assert r.status_code == 303
    assert "The key was revoked." in admin.get("/admin?done=revoked").text
    error(admin.post("/v1/records", json=rows, headers=headers), 401, "unauthorised")
    r = admin.post(f"/admin/keys/{key['id']}/revoke", data={"csrf": csrf})
    assert r.status_code == 404  # revoked once


def test_forms_without_the_token_change_nothing(admin: TestClient, store: Store) -> None:
    form = {"id": "zhao", "name": "赵", "role": "auditor", "password": PASSWORD}
    r = admin.post("/admin/users", data=form)
    assert r.status_code == 403 and "csrf_failed" in r.text
    assert admin.post("/admin/keys", data={"name": "x", "scopes": "a.b"}).status_code == 403
    assert [a.id for a in list_users(store)] == ["root"] and list_keys(store) == []


def test_only_administrators_reach_the_admin_pages(client: TestClient, store: Store) -> None:
    r = client.get("/admin", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    login(client, store, "auditor1", "auditor")
    assert client.get("/admin").status_code == 403
    csrf = csrf_of(client.get("/audit").text)
    r = client.post("/admin/keys", data={"csrf": csrf, "name": "x", "scopes": "a.b"})
    assert r.status_code == 403 and list_keys(store) == []


def test_the_audit_page_shows_the_chain_decisions_masked_and_safeguards(
    client: TestClient, store: Store
) -> None:
    listed_debtor(store, occurred="2025-12-01")
    airline = bearer(store, "transport.air.*", name="airline")
    r = client.post(
        "/v1/checks",
        content=orjson.dumps({"subject": DEBTOR, "action": "transport.air.ticket"}),
        headers={**airline, "Content-Type": "application/json"},
    )
    assert r.json()["outcome"] == "deny"
    login(client, store, "auditor1", "auditor")
    page = client.get("/audit")
    assert page.status_code == 200
    text = page.text
    assert "The audit chain is intact" in text
    assert "Every safeguard holds." in text or "violations found" in text
    assert "transport.air.ticket" in text and "deny" in text
    assert DEBTOR not in text and DEBTOR[:6] + "********" + DEBTOR[14:] in text
    assert record_count(store) == 1


def test_the_audit_page_says_where_the_chain_breaks(client: TestClient, store: Store) -> None:
    listed_debtor(store)
    with store.writer() as conn:
        conn.execute(update(audit_log).where(audit_log.c.seq == 1).values(ref="tampered"))
    login(client, store, "root", "admin")
    text = client.get("/audit").text
    assert "The audit chain is broken at entry 1" in text


def test_the_pages_are_in_chinese_by_default(store: Store) -> None:
    with TestClient(create_app(Settings(db=store.url), clock=store.clock)) as client:
        login(client, store, "root", "admin")
        assert "创建账户" in client.get("/admin").text
        assert "审计链完整" in client.get("/audit").text
