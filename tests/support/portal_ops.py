"""Helpers of the records, metrics, administration and audit tests."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from socialcredit.access.keys import create_key
from socialcredit.access.users import create_user
from socialcredit.store.database import Store
from socialcredit.store.tables import records

from support.portal import csrf_of

PASSWORD = "correct horse battery"


def bearer(store: Store, *scopes: str, name: str = "client") -> dict[str, str]:
    _key, token = create_key(store, name, list(scopes))
    return {"Authorization": f"Bearer {token}"}


def record_count(store: Store) -> int:
    with store.reader() as conn:
        return int(conn.execute(select(func.count()).select_from(records)).scalar() or 0)


def error(r: Any, status: int, code: str) -> dict[str, Any]:
    assert r.status_code == status, r.text
    body: dict[str, Any] = r.json()
    assert set(body) == {"error"} and body["error"]["code"] == code, body
    assert body["error"]["message"]
    return body


def login(client: TestClient, store: Store, account: str, role: str, **kw: Any) -> None:
    """Create an account of ``role`` and log the client in with it."""
    create_user(store, account, account.title(), role, PASSWORD, **kw)
    form = client.get("/login")
    r = client.post(
        "/login",
        data={"account": account, "password": PASSWORD, "csrf": csrf_of(form.text)},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
