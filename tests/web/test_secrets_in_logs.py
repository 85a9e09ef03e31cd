"""No key, password or session token in the server's logs: a real uvicorn server with
its access log on and every logger at DEBUG, used with a key, a login and a session."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn

from socialcredit.access.keys import create_key
from socialcredit.access.users import create_user
from socialcredit.settings import Settings
from socialcredit.store.database import Store
from socialcredit.web.app import create_app

PASSWORD = "a-password-nobody-logs"
CLIENT = ("httpx", "httpcore")
SECRET = "session-secret-that-must-stay-secret-0123"


class Everything(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if not record.name.startswith(CLIENT):  # the test's own HTTP client logs its side
            self.lines.append(f"{record.name}: {self.format(record)}")


@pytest.fixture
def logs() -> Iterator[Everything]:
    handler = Everything()
    root = logging.getLogger()
    old = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(old)


def test_keys_passwords_and_sessions_stay_out_of_the_logs(
    sqlite_store: Store, logs: Everything
) -> None:
    create_user(sqlite_store, "li", "Li", "reviewer", PASSWORD)
    _key, token = create_key(sqlite_store, "airline", ["transport.air.*"])
    app = create_app(Settings(db=sqlite_store.url, session_secret=SECRET), clock=sqlite_store.clock)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="debug", access_log=True)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):  # they do not propagate
        logging.getLogger(name).addHandler(logs)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base) as client:
            client.get("/login")
            csrf = client.cookies["sc_csrf"]
            form = {"csrf": csrf, "account": "li", "password": PASSWORD}
            assert client.post("/login", data=form).status_code in (200, 303)
            session = client.cookies["sc_session"]
            assert client.get("/review").status_code == 200
            wrong = {"csrf": csrf, "account": "li", "password": PASSWORD + "x"}
            client.post("/login", data=wrong)
            body = {"subject": "110101199003074477", "action": "transport.air.ticket"}
            checked = client.post("/v1/checks", json=body, headers={"X-Api-Key": token})
            assert checked.status_code == 200
            client.post("/v1/checks", json=body, headers={"Authorization": f"Bearer {token}x"})
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
            logging.getLogger(name).removeHandler(logs)
    text = "\n".join(logs.lines)
    assert "POST /login" in text and "/v1/checks" in text  # the access log was on
    for secret in (PASSWORD, token, token.split("_", 2)[2], session, csrf, SECRET):
        assert secret not in text, "a secret reached the logs"
