"""The API key is checked before a request's body is read.

FastAPI reads and parses a body before it solves a route's dependencies, so a
key checked as a dependency lets anyone without one make the server read a
body in full. This pure ASGI middleware authenticates the key of every request
to a keyed route (everything under ``/v1/`` but the health check) from its
headers alone -- a missing, malformed, unknown or revoked key gets 401, a key
over its rate 429 -- and hands the key on in the request scope, where the
routes' key dependency and the check lane take it without spending the rate
again.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from socialcredit.access.keys import ApiKey, KeyRing
from socialcredit.errors import SocialCreditError
from socialcredit.web.errors import send_error

KEYED = "/v1/"
PUBLIC = frozenset({"/v1/health"})
SCOPE_KEY = "socialcredit.api_key"  # where the verified key travels in the ASGI scope


class KeyGate:
    def __init__(self, app: ASGIApp, keyring: KeyRing) -> None:
        self.app = app
        self.keyring = keyring

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and keyed(scope["path"]):
            try:
                scope[SCOPE_KEY] = self.keyring.authenticate(token_in(scope))
            except SocialCreditError as exc:
                await send_error(send, exc)
                return
        await self.app(scope, receive, send)


def keyed(path: str) -> bool:
    return path.startswith(KEYED) and path.rstrip("/") not in PUBLIC


def gated_key(scope: Scope, keyring: KeyRing) -> ApiKey:
    """The key the gate verified for this request (or, for a request that did not
    pass the gate, the key its headers present)."""
    key = scope.get(SCOPE_KEY)
    if isinstance(key, ApiKey):
        return key
    return keyring.authenticate(token_in(scope))


def token_in(scope: Scope) -> str | None:
    """The API key a request presents: ``Authorization: Bearer …`` or ``X-Api-Key``
    (the first of each header)."""
    headers: dict[bytes, str] = {}
    for name, value in scope["headers"]:
        headers.setdefault(name, value.decode("latin-1"))
    return token_of(headers.get(b"authorization"), headers.get(b"x-api-key"))


def token_of(authorization: str | None, x_api_key: str | None) -> str | None:
    """The API key a request presents: `Authorization: Bearer …` or `X-Api-Key`."""
    if authorization and authorization.lower().startswith("bearer "):
        return authorization[7:].strip()
    return x_api_key
