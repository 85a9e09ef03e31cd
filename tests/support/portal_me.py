"""Portal logins for tests: an account, its login through the form, and a form's token."""

from __future__ import annotations

from fastapi.testclient import TestClient

from socialcredit.access.users import create_user
from socialcredit.store.database import Store

PASSWORD = "password1"


def login(client: TestClient, account: str, password: str = PASSWORD) -> None:
    """Log in through the form (the visitor's form token from the ``sc_csrf`` cookie)."""
    client.get("/login")
    token = client.cookies.get("sc_csrf")
    assert token
    r = client.post(
        "/login",
        data={"account": account, "password": password, "csrf": token},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text


def subject_login(client: TestClient, store: Store, subject: str, account: str = "zhang") -> None:
    create_user(store, account, "Zhang", "subject", PASSWORD, subject=subject)
    login(client, account)


def agency_login(client: TestClient, store: Store, agency: str, account: str = "bank") -> None:
    create_user(store, account, "Bank", "agency", PASSWORD, agency=agency)
    login(client, account)
