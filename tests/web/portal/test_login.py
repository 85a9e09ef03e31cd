"""Logging in and out of the portal: CSRF on the form, throttled failures, signed
session cookies, redirects to the login for pages that need one, security headers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from socialcredit.access.users import create_user
from socialcredit.settings import Settings
from socialcredit.store.database import Store
from socialcredit.web.app import create_app

SECRET = "portal-test-secret-0123456789-abcdef"


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    create_user(store, "li", "Li Na", "reviewer", "right-password")
    settings = Settings(db=store.url, session_secret=SECRET, public_rate_limit=1000)
    with TestClient(create_app(settings, clock=store.clock)) as c:
        yield c


def form_token(client: TestClient) -> str:
    r = client.get("/login")
    assert r.status_code == 200
    return str(client.cookies.get("sc_csrf"))


def login(client: TestClient, password: str = "right-password", **extra: str) -> object:
    token = form_token(client)
    data = {"csrf": token, "account": "li", "password": password, **extra}
    return client.post("/login", data=data, follow_redirects=False)


def test_a_reviewer_logs_in_to_the_desk_with_a_strict_http_only_cookie(
    client: TestClient,
) -> None:
    r = login(client)
    assert r.status_code == 303 and r.headers["location"] == "/review"  # type: ignore[attr-defined]
    cookie = r.headers["set-cookie"]  # type: ignore[attr-defined]
    assert "sc_session=" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
    home = client.get("/", headers={"Accept-Language": "en"})
    assert "Li Na" in home.text and "Log out" in home.text


def test_next_goes_back_to_the_page_asked_for_but_never_off_the_site(client: TestClient) -> None:
    r = client.get("/review", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=/review"
    assert login(client, next="/review").headers["location"] == "/review"  # type: ignore[attr-defined]
    client.cookies.clear()
    r = login(client, next="//evil.example/x")
    assert r.headers["location"] == "/review"  # type: ignore[attr-defined]


def test_a_form_without_the_visits_token_is_refused_and_logs_no_one_in(
    client: TestClient,
) -> None:
    form_token(client)
    r = client.post(
        "/login", data={"csrf": "forged", "account": "li", "password": "right-password"}
    )
    assert r.status_code == 403 and "csrf_failed" in r.text
    assert "sc_session" not in client.cookies


def test_a_wrong_password_shows_the_form_again_and_five_lock_the_account(
    client: TestClient,
) -> None:
    for _ in range(5):
        r = login(client, password="wrong-password")
        assert r.status_code == 401 and "账号不存在或密码错误" in r.text  # type: ignore[attr-defined]
    r = login(client)  # even the right password, until the window passes
    assert r.status_code == 429 and int(r.headers["retry-after"]) > 0  # type: ignore[attr-defined]


def test_logging_out_ends_the_session(client: TestClient) -> None:
    login(client)
    token = client.cookies.get("sc_session")
    assert token
    # the form token of a logged-in user is the session's; the login page's cookie is not it
    home = client.get("/")
    csrf = home.text.split('name="csrf" value="')[1].split('"')[0]
    r = client.post("/logout", data={"csrf": csrf}, follow_redirects=False)
    assert r.status_code == 303
    assert client.get("/review", follow_redirects=False).status_code == 303


def test_a_forged_session_cookie_is_no_login(client: TestClient) -> None:
    client.cookies.set("sc_session", "eyJ1IjoiYWRtaW4ifQ.forged.sig")
    assert client.get("/review", follow_redirects=False).status_code == 303


def test_a_subject_page_refuses_a_reviewer_with_a_page_in_their_language(
    client: TestClient,
) -> None:
    login(client)
    r = client.get("/me", headers={"Accept-Language": "en"})
    assert r.status_code == 403 and "<code>forbidden</code>" in r.text and 'lang="en"' in r.text


def test_every_answer_carries_the_security_headers(client: TestClient) -> None:
    for path in ("/", "/login", "/v1/health", "/nope", "/static/portal.css"):
        r = client.get(path)
        assert r.headers["x-frame-options"] == "DENY", path
        assert r.headers["x-content-type-options"] == "nosniff", path
        csp = r.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "script-src 'self';" in csp, path
        assert "unsafe-inline" not in csp, path


def test_the_api_documentation_loads_nothing_from_elsewhere(client: TestClient) -> None:
    r = client.get("/docs")
    assert r.status_code == 200 and "/static/swagger/swagger-ui-bundle.js" in r.text
    assert "http://" not in r.text and "https://" not in r.text and "<script>" not in r.text
    assert client.get("/static/swagger/swagger-ui-bundle.js").status_code == 200


def test_the_public_is_held_to_its_rate_per_address(store: Store) -> None:
    settings = Settings(db=store.url, public_rate_limit=2)
    with TestClient(create_app(settings, clock=store.clock)) as c:
        answers = [c.get("/v1/health").status_code for _ in range(6)]
        assert 429 in answers
        r = c.get("/v1/health")
        assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1
        assert r.json()["error"]["code"] == "rate_limited"
