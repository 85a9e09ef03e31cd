"""Helpers for the portal's pages: logging in through the form, reading a page's form
token and its error code."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from socialcredit.access.users import create_user
from socialcredit.store.database import Store


def login(client: TestClient, account: str) -> None:
    """Log in through the login form (the visitor's form token is its ``sc_csrf`` cookie)."""
    client.cookies.clear()
    client.cookies.set("sc_lang", "en")
    assert client.get("/login").status_code == 200
    token = client.cookies.get("sc_csrf")
    assert token
    form = {"account": account, "password": "password1", "csrf": token}
    r = client.post("/login", data=form, follow_redirects=False)
    assert r.status_code == 303, r.text


def account(store: Store, user: str, role: str, subject: str | None = None) -> str:
    create_user(store, user, user.capitalize(), role, "password1", subject=subject)
    return user


def error_code(html: str) -> str:
    """The code the error page shows."""
    found = re.search(r"<code>([a-z_]+)</code>", html)
    assert found, html
    return found.group(1)
