"""The lean path for ``POST /v1/checks``, the call relying parties make most.

FastAPI's machinery (dependency solving, request and response models, the
exception middleware) costs several times what a check itself does, and at
thousands of requests a second that is what sets the tail latency. This ASGI
middleware answers JSON requests to ``POST /v1/checks`` directly, with the
route's own models, the key the gate verified (:mod:`socialcredit.web.gate`)
and :func:`~socialcredit.web.routes.checks.answer`, in the same order of checks
(key, size, body is JSON, body shape, scopes, actions, subjects) and with the
same error bodies. Any other request, and a check request whose body is not
declared JSON, goes on to the application and its documented route. The body
is bounded by :mod:`socialcredit.web.limits` before it gets here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson
from pydantic import ValidationError
from starlette.datastructures import State
from starlette.types import ASGIApp, Receive, Scope, Send

from socialcredit.errors import Malformed, SocialCreditError
from socialcredit.web.errors import domain_error, malformed
from socialcredit.web.gate import gated_key
from socialcredit.web.routes.checks import REQUEST, answer

PATH = "/v1/checks"
_JSON = [(b"content-type", b"application/json")]

Answer = tuple[int, bytes, list[tuple[bytes, bytes]]]


class CheckLane:
    def __init__(self, app: ASGIApp, state: State) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["path"] != PATH
            or scope["method"] != "POST"
            or not _declares_json(scope)
        ):
            await self.app(scope, receive, send)
            return
        status, body, headers = await self._answer(scope, receive)
        headers = [*_JSON, (b"content-length", str(len(body)).encode()), *headers]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def _answer(self, scope: Scope, receive: Receive) -> Answer:
        try:
            key = gated_key(scope, self.state.keyring)
            raw = await _read_body(receive)
            if not raw:
                return _malformed([{"type": "missing", "loc": ("body",), "msg": "Field required"}])
            try:
                request = REQUEST.validate_json(raw)
            except ValidationError as exc:
                return _malformed(exc.errors())
            decided = self.state.metrics.decided
            return 200, answer(request, key, self.state.enforcement, decided).encode(), []
        except SocialCreditError as exc:
            status, body, extra = domain_error(exc)
            pairs = [(k.lower().encode(), v.encode()) for k, v in extra.items()]
            return status, orjson.dumps(body), pairs


def _malformed(errors: Sequence[Any]) -> Answer:
    return Malformed.status, orjson.dumps(malformed(errors)), []


def _declares_json(scope: Scope) -> bool:
    """The route's rule: a media type of application/json or application/…+json."""
    for name, value in scope["headers"]:
        if name == b"content-type":
            media: bytes = value.split(b";", 1)[0].strip().lower()
            return media == b"application/json" or (
                media.startswith(b"application/") and media.endswith(b"+json")
            )
    return False


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)
