"""What the HTTP API tests share: an app client over a store, bearer keys for a
table of roles, and the two ways an answer is read (a success or the one error shape)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from fastapi.testclient import TestClient

from socialcredit.access.keys import create_key
from socialcredit.settings import Settings
from socialcredit.store.database import Store
from socialcredit.web.app import create_app

Keys = dict[str, dict[str, str]]  # role name -> the Authorization header of its key


@contextmanager
def app_client(store: Store) -> Iterator[TestClient]:
    """The platform's app over ``store`` (on the store's clock), started and stopped."""
    with TestClient(create_app(Settings(db=store.url), clock=store.clock)) as client:
        yield client


def bearer(store: Store, name: str, scopes: Sequence[str]) -> dict[str, str]:
    """The Authorization header of a new key named ``name`` with ``scopes``."""
    _key, token = create_key(store, name, list(scopes))
    return {"Authorization": f"Bearer {token}"}


def bearer_keys(store: Store, roles: Mapping[str, Sequence[str]]) -> Keys:
    """One key per role of ``roles`` (name -> scopes)."""
    return {name: bearer(store, name, scopes) for name, scopes in roles.items()}


def ok(r: Any, status: int = 200) -> Any:
    """The JSON body of an answer with ``status``."""
    assert r.status_code == status, r.text
    return r.json()


def error(r: Any, status: int, code: str) -> dict[str, Any]:
    """The error object of a refusal with ``status`` and ``code``, in the API's one
    shape: ``{"error": {"code", "message", ...}}`` and nothing else."""
    assert r.status_code == status, r.text
    body: dict[str, Any] = r.json()
    assert set(body) == {"error"} and body["error"]["code"] == code, body
    assert body["error"]["message"]
    found: dict[str, Any] = body["error"]
    return found
