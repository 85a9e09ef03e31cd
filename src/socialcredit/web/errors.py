"""One error shape for the API: ``{"error": {"code", "message", "field"?}}``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException
from starlette.routing import Match
from starlette.types import Send

from socialcredit.access.keys import Unauthorised
from socialcredit.access.rates import RateLimited
from socialcredit.errors import Malformed, NotFound, SocialCreditError


class MethodNotAllowed(SocialCreditError):
    """The route does not take this method (the answer's ``Allow`` names those it takes)."""

    code = "method_not_allowed"
    status = 405


class FrameworkError(SocialCreditError):
    """An error the web framework raised itself with a status no domain error has; it
    is answered with the framework's status."""

    code = "http_error"
    status = 500


# what the router and FastAPI raise, by status, as domain errors: no route (404), a
# method the path does not take (405), a body that cannot be read (400 from FastAPI,
# answered as every malformed request is, 422)
FRAMEWORK: dict[int, type[SocialCreditError]] = {
    400: Malformed,
    404: NotFound,
    405: MethodNotAllowed,
}

# Parts of a validation error's location that name the request's shape rather
# than a field the client sent: FastAPI's "body" and the tags of a
# discriminated request union (see routes/checks.py).
SHAPE_TAGS = frozenset({"body", "one-check", "many-checks"})


def domain_error(exc: SocialCreditError) -> tuple[int, dict[str, Any], dict[str, str]]:
    """Status, body and extra headers for a domain error: the status is the one its
    class declares."""
    headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, Unauthorised) else {}
    if isinstance(exc, RateLimited):
        headers["Retry-After"] = str(exc.retry_after_seconds)
    return exc.status, {"error": exc.to_dict()}, headers


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
        return {"error": Malformed("request body is not valid JSON").to_dict()}
    field = ".".join(str(p) for p in first.get("loc", ()) if p not in SHAPE_TAGS) or None
    if field is None and first.get("type") == "missing":
        return {"error": Malformed("a JSON request body is required").to_dict()}
    problem = Malformed(f"{field or 'request'}: {first['msg']}", field=field)
    return {"error": problem.to_dict()}


# how a page answers an error: (request, error, status, extra headers) -> the page
PageError = Callable[[Request, SocialCreditError, int, dict[str, str]], Response]
MACHINE = ("/v1/", "/openapi.json", "/metrics")  # paths answered in JSON, never as a page


def wants_page(request: Request) -> bool:
    return not request.url.path.startswith(MACHINE)


def install(app: FastAPI, page_error: PageError | None = None) -> None:
    """The one error shape on the API; with ``page_error``, the error page elsewhere."""

    def answer(
        request: Request, error: SocialCreditError, status: int, headers: dict[str, str]
    ) -> Response:
        if page_error is not None and wants_page(request):
            return page_error(request, error, status, headers)
        return JSONResponse({"error": error.to_dict()}, status_code=status, headers=headers or None)

    @app.exception_handler(SocialCreditError)
    async def _domain(request: Request, exc: SocialCreditError) -> Response:
        status, _body, headers = domain_error(exc)
        return answer(request, exc, status, headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        body = malformed(exc.errors())
        error = Malformed(body["error"]["message"], field=body["error"].get("field"))
        return answer(request, error, Malformed.status, {})

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> Response:
        """What the router and FastAPI itself raise (no such route, a method the route
        does not take, a body that cannot be read), in the one shape."""
        headers = dict(exc.headers or {})
        error: SocialCreditError
        if exc.status_code == 405:
            allowed = allowed_methods(request)
            error = MethodNotAllowed(
                f"{request.method} is not allowed on {request.url.path}; "
                f"it takes {', '.join(allowed)}"
            )
            headers["Allow"] = ", ".join(allowed)
        elif exc.status_code == 404:
            error = NotFound(f"no route {request.url.path}")
        else:
            error = FRAMEWORK.get(exc.status_code, FrameworkError)(str(exc.detail))
        status = exc.status_code if isinstance(error, FrameworkError) else error.status
        return answer(request, error, status, headers)


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
