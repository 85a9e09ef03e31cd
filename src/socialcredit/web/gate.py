"""Who is asking, and whether they may, before a request's body is read.

FastAPI reads and parses a body before it solves a route's dependencies, so a
credential checked as a dependency lets anyone make the server read a body in
full. This pure ASGI middleware settles every request from its headers alone:

* the principal (:mod:`socialcredit.access.principal`): an API key
  (``Authorization: Bearer …`` or ``X-Api-Key``; malformed, unknown or
  revoked: 401; over its rate: 429), else a portal session cookie, else the
  public;
* the row of the permission table (:mod:`socialcredit.access.permissions`)
  for the request's verb and path: a caller without a role of the row is
  refused -- 401 when they presented nothing, 403 when their roles do not
  reach -- as JSON under ``/v1`` and as a page (or a redirect to the login
  form) elsewhere;
* the public's requests, per client address, to the ``public_rate_limit``
  (429 with ``Retry-After``).

The principal travels on in the request scope, where the routes take it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from http.cookies import SimpleCookie
from urllib.parse import quote

from starlette.types import ASGIApp, Receive, Scope, Send

from socialcredit.access.keys import ApiKey, Forbidden, KeyRing, Unauthorised
from socialcredit.access.permissions import allowed, refusal, rule_for
from socialcredit.access.principal import ANONYMOUS, Principal, of_key
from socialcredit.access.rates import RateLimiter
from socialcredit.access.sessions import COOKIE, SessionCodec
from socialcredit.errors import SocialCreditError
from socialcredit.web.errors import send_error

API = "/v1/"
SCOPE_KEY = "socialcredit.api_key"  # where the verified key travels in the ASGI scope
SCOPE_PRINCIPAL = "socialcredit.principal"
SCOPE_RULE = "socialcredit.rule"  # the permission table's row of the request (or None)

# how a page answers a refusal: (scope, send, error) -> the response sent
PageRefusal = Callable[[Scope, Send, SocialCreditError], Awaitable[None]]


class KeyGate:
    def __init__(
        self,
        app: ASGIApp,
        keyring: KeyRing,
        sessions: SessionCodec | None = None,
        public_rate: float = 20.0,
        page_refusal: PageRefusal | None = None,
    ) -> None:
        self.app = app
        self.keyring = keyring
        self.sessions = sessions
        self.public_rate = public_rate
        self.public = RateLimiter()
        self.page_refusal = page_refusal

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            principal = self._principal(scope)
            scope[SCOPE_PRINCIPAL] = principal
            if principal.key is not None:
                scope[SCOPE_KEY] = principal.key
            self._admit(scope, principal)
        except SocialCreditError as exc:
            await self._refuse(scope, send, exc)
            return
        await self.app(scope, receive, send)

    def _principal(self, scope: Scope) -> Principal:
        token = token_in(scope)
        if token:
            return of_key(self.keyring.authenticate(token))
        if self.sessions is not None:
            found = self.sessions.read(cookie_in(scope, COOKIE))
            if found is not None:
                return found
        return ANONYMOUS

    def _admit(self, scope: Scope, principal: Principal) -> None:
        rule = scope[SCOPE_RULE] = rule_for(scope["method"], scope["path"])
        if rule is None:
            return  # no such route: the router answers 404 or 405
        if not allowed(principal, rule):
            if not principal.authenticated:
                raise Unauthorised(
                    "this route needs an API key (header `Authorization: Bearer sc_…`) "
                    "or a portal login"
                )
            raise Forbidden(
                f"{principal.name} may not {rule.verb} {rule.path}: it takes {refusal(rule)}"
            )
        if not principal.authenticated:
            client = scope.get("client") or ("unknown", 0)
            self.public.take(f"ip:{client[0]}", self.public_rate)

    async def _refuse(self, scope: Scope, send: Send, exc: SocialCreditError) -> None:
        if scope["path"].startswith(API) or self.page_refusal is None:
            await send_error(send, exc)
        elif isinstance(exc, Unauthorised) and scope["method"] in ("GET", "HEAD"):
            await redirect(send, "/login?next=" + quote(scope["path"], safe="/"))
        else:
            await self.page_refusal(scope, send, exc)


async def redirect(send: Send, location: str) -> None:
    headers = [(b"location", location.encode()), (b"content-length", b"0")]
    await send({"type": "http.response.start", "status": 303, "headers": headers})
    await send({"type": "http.response.body", "body": b""})


def gated_key(scope: Scope, keyring: KeyRing) -> ApiKey:
    """The key the gate verified for this request (or, for a request that did not
    pass the gate, the key its headers present)."""
    key = scope.get(SCOPE_KEY)
    if isinstance(key, ApiKey):
        return key
    return keyring.authenticate(token_in(scope))


def principal_of(scope: Scope) -> Principal:
    found = scope.get(SCOPE_PRINCIPAL)
    return found if isinstance(found, Principal) else ANONYMOUS


def header(scope: Scope, name: bytes) -> str | None:
    """The first value of a request header."""
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return None


def cookie_in(scope: Scope, name: str) -> str | None:
    raw = header(scope, b"cookie")
    if not raw:
        return None
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(raw)
    except Exception:  # a malformed Cookie header counts as none
        return None
    morsel = jar.get(name)
    return morsel.value if morsel is not None else None


def token_in(scope: Scope) -> str | None:
    """The API key a request presents: ``Authorization: Bearer …`` or ``X-Api-Key``
    (the first of each header)."""
    return token_of(header(scope, b"authorization"), header(scope, b"x-api-key"))


def token_of(authorization: str | None, x_api_key: str | None) -> str | None:
    """The API key a request presents: `Authorization: Bearer …` or `X-Api-Key`."""
    if authorization and authorization.lower().startswith("bearer "):
        return authorization[7:].strip()
    return x_api_key
