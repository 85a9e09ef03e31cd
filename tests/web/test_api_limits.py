"""Hostile bodies: every body is bounded before it is read (413 ``request_too_large``), and
keyed routes check the key before reading the body (401), on a real uvicorn server and
through the ASGI transport with a streamed body whose reading we count."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from socialcredit.access.keys import create_key
from socialcredit.settings import Settings
from socialcredit.store.database import Store
from socialcredit.web.app import create_app

from support.factories import person_id

LIMIT = 64 * 1024
CHUNK = 16 * 1024


@pytest.fixture
def app(sqlite_store: Store) -> FastAPI:
    return create_app(Settings(db=sqlite_store.url, max_request_bytes=LIMIT))


@pytest.fixture
def server(app: FastAPI) -> Iterator[tuple[str, int]]:
    """The app served by uvicorn on a free local port."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(app, log_level="warning", lifespan="on")
    serving = uvicorn.Server(config)
    thread = threading.Thread(target=serving.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not serving.started and time.monotonic() < deadline:
        time.sleep(0.01)
    try:
        yield sock.getsockname()
    finally:
        serving.should_exit = True
        thread.join(10)
        sock.close()


def _raw_post(address: tuple[str, int], path: str, length: int, headers: str = "") -> bytes:
    """Send only the head of a POST that declares ``length`` body bytes; return what the
    server answers without a byte of the body sent (a server waiting for the body would
    time out instead)."""
    with socket.create_connection(address, timeout=5) as conn:
        head = (
            f"POST {path} HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
            f"Content-Length: {length}\r\n{headers}\r\n"
        )
        conn.sendall(head.encode())
        answer = b""
        while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}"):
            chunk = conn.recv(65536)
            if not chunk:
                break
            answer += chunk
    return answer


def test_a_declared_100_mb_body_is_refused_before_it_is_sent(server: tuple[str, int]) -> None:
    answer = _raw_post(server, "/v1/objections", 100 * 1024 * 1024)
    assert answer.startswith(b"HTTP/1.1 413 ")
    assert b'"code":"request_too_large"' in answer


@pytest.mark.parametrize("headers", ["", "Authorization: Bearer sc_nope_nope\r\n"])
def test_a_keyless_body_gets_401_before_it_is_sent(server: tuple[str, int], headers: str) -> None:
    answer = _raw_post(server, "/v1/objections", LIMIT - 1, headers)
    assert answer.startswith(b"HTTP/1.1 401 ")
    assert b'"code":"unauthorised"' in answer and b"www-authenticate: Bearer" in answer


class Body:
    """A chunked request body that counts how much of it was read."""

    def __init__(self, chunks: int, chunk: bytes = b" " * CHUNK) -> None:
        self.chunks = chunks
        self.chunk = chunk
        self.read = 0

    async def stream(self) -> AsyncIterator[bytes]:
        for _ in range(self.chunks):
            self.read += len(self.chunk)
            yield self.chunk


def _post(app: FastAPI, path: str, body: Body, token: str | None = None) -> httpx.Response:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"

    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.post(path, content=body.stream(), headers=headers)

    return asyncio.run(go())


@pytest.mark.parametrize("path", ["/v1/objections", "/v1/checks", "/v1/repairs", "/v1/appeals"])
def test_a_streamed_body_without_a_key_is_not_read(app: FastAPI, path: str) -> None:
    body = Body(chunks=6400)  # 100 MiB
    r = _post(app, path, body)
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorised"
    assert body.read == 0


@pytest.mark.parametrize("path", ["/v1/objections", "/v1/checks"])
def test_a_chunked_body_past_the_limit_is_cut_off(
    app: FastAPI, sqlite_store: Store, path: str
) -> None:
    token = create_key(sqlite_store, "subject service", ["role:subject-service", "finance.*"])[1]
    body = Body(chunks=6400)
    r = _post(app, path, body, token)
    assert r.status_code == 413, r.text
    assert r.json()["error"] == {
        "code": "request_too_large",
        "message": f"the request body exceeds {LIMIT} bytes (setting max_request_bytes)",
        "field": "body",
    }
    assert body.read <= LIMIT + CHUNK


def test_a_body_within_the_limit_is_served(app: FastAPI, sqlite_store: Store) -> None:
    token = create_key(sqlite_store, "bank", ["finance.*"])[1]
    check = b'{"subject": "%s", "action": "finance.loan"}' % person_id(seq=5).encode()
    r = _post(app, "/v1/checks", Body(chunks=1, chunk=check), token)
    assert r.status_code == 200 and r.json()["outcome"] == "allow"


def test_the_health_check_needs_no_key(app: FastAPI) -> None:
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.get("/v1/health")

    assert asyncio.run(go()).json()["status"] == "ok"


def test_the_limit_is_a_setting() -> None:
    settings = Settings.from_env({"SOCIALCREDIT_MAX_REQUEST_BYTES": "2048"})
    assert settings.max_request_bytes == 2048
    assert Settings().max_request_bytes == 8 * 1024 * 1024
