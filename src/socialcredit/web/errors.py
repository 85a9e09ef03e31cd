"""One error shape for the API: ``{"error": {"code", "message", "field"?}}``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.routing import Match
from starlette.types import Send

from socialcredit.access.rates import RateLimited
from socialcredit.errors import SocialCreditError
from socialcredit.remedies.errors import STATUS as REMEDY_STATUS

STATUS = {
    "not_found": 404,
    "unauthorised": 401,
    "forbidden": 403,
    "malformed": 422,
    "too_many": 413,
    "request_too_large": 413,
    "rate_limited": 429,
    "conflict": 409,
    "method_not_allowed": 405,
    "not_initialised": 503,
    "needs_upgrade": 503,
    **REMEDY_STATUS,  # invalid_transition, deadline_passed, not_repairable, too_early…
}

# Parts of a validation error's location that name the request's shape rather
# than a field the client sent: FastAPI's "body" and the tags of a
# discriminated request union (see routes/checks.py).
SHAPE_TAGS = frozenset({"body", "one-check", "many-checks"})


def status_of(code: str) -> int:
    return STATUS.get(code, 400)


def domain_error(exc: SocialCreditError) -> tuple[int, dict[str, Any], dict[str, str]]:
    """Status, body and extra headers for a domain error."""
    headers = {"WWW-Authenticate": "Bearer"} if exc.code == "unauthorised" else {}
    if isinstance(exc, RateLimited):
        headers["Retry-After"] = str(exc.retry_after_seconds)
    return status_of(exc.code), {"error": exc.to_dict()}, headers


async def send_error(send: Send, exc: SocialCreditError) -> None:
    """Answer a raw ASGI request with a domain error (for the middlewares that answer
    before FastAPI runs)."""
    status, body, extra = domain_error(exc)
    payload = orjson.dumps(body)
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(payload)).encode()),
        *((k.lower().encode(), v.encode()) for k, v in extra.items()),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})


def malformed(errors: Sequence[Any]) -> dict[str, Any]:
    """The body for a request that failed validation: the first problem, with
    the field it concerns in dotted form (``checks.3.subject``)."""
    first = errors[0] if errors else {"loc": (), "msg": "invalid request", "type": ""}
    if first.get("type") == "json_invalid":
        return {"error": {"code": "malformed", "message": "request body is not valid JSON"}}
    field = ".".join(str(p) for p in first.get("loc", ()) if p not in SHAPE_TAGS) or None
    if field is None and first.get("type") == "missing":
        return {"error": {"code": "malformed", "message": "a JSON request body is required"}}
    body: dict[str, Any] = {"code": "malformed", "message": f"{field or 'request'}: {first['msg']}"}
    if field:
        body["field"] = field
    return {"error": body}


def install(app: FastAPI) -> None:
    @app.exception_handler(SocialCreditError)
    async def _domain(_request: Request, exc: SocialCreditError) -> JSONResponse:
        status, body, headers = domain_error(exc)
        return JSONResponse(body, status_code=status, headers=headers or None)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(malformed(exc.errors()), status_code=422)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> JSONResponse:
        """What the router and FastAPI itself raise (no such route, a method the route
        does not take, a body that cannot be read), in the one shape."""
        if exc.status_code == 405:
            allowed = allowed_methods(request)
            error = SocialCreditError(
                f"{request.method} is not allowed on {request.url.path}; "
                f"it takes {', '.join(allowed)}",
                code="method_not_allowed",
            )
            body = {"error": error.to_dict()}
            return JSONResponse(body, status_code=405, headers={"Allow": ", ".join(allowed)})
        code = {400: "malformed", 404: "not_found"}.get(exc.status_code, "http_error")
        message = f"no route {request.url.path}" if exc.status_code == 404 else str(exc.detail)
        body = {"error": SocialCreditError(message, code=code).to_dict()}
        return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)


METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def allowed_methods(request: Request) -> list[str]:
    """Every method some route of this path takes (Starlette's own Allow names only the
    first route that matches the path, so GET goes missing where POST is routed first)."""
    routes = request.app.router.routes
    return [
        method
        for method in METHODS
        if any(r.matches({**request.scope, "method": method})[0] is Match.FULL for r in routes)
    ]
