"""A bound on every request body, before any of it is read.

An unbounded body lets one unauthenticated client make the server hold
hundreds of megabytes. This pure ASGI middleware (it never buffers a body
itself) answers 413 ``request_too_large``:

* at once, when the declared ``Content-Length`` exceeds ``max_request_bytes``:
  not one byte of the body is read;
* when a body without a declared length (chunked) grows past the limit: the
  application's reading stops there, its answer is dropped and the 413 sent
  instead.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from socialcredit.errors import SocialCreditError
from socialcredit.web.errors import send_error


class RequestTooLarge(SocialCreditError):
    code = "request_too_large"
    status = 413


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    def _refusal(self) -> RequestTooLarge:
        return RequestTooLarge(
            f"the request body exceeds {self.max_bytes} bytes (setting max_request_bytes)",
            field="body",
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = declared_length(scope)
        if declared is not None and declared > self.max_bytes:
            await send_error(send, self._refusal())
            return
        received = 0
        over = False
        started = False

        async def bounded() -> Message:
            nonlocal received, over
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    over = True
                    raise self._refusal()
            return message

        async def guarded(message: Message) -> None:
            nonlocal started
            if over:
                return  # the application's answer to a body cut short: ours replaces it
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, bounded, guarded)
        except Exception:
            # once the body is cut off, whatever the application made of the refusal
            # (its own 400, a wrapped exception) is void: the 413 below answers
            if not over:
                raise
        if over and not started:
            await send_error(send, self._refusal())


def declared_length(scope: Scope) -> int | None:
    """The ``Content-Length`` a request declares, if any (a malformed one counts as
    none: the server refuses it before the application runs)."""
    for name, value in scope["headers"]:
        if name == b"content-length":
            text = value.decode("latin-1").strip()
            return int(text) if text.isdigit() else None
    return None
