"""Errors on pages: the error page in the visitor's language, with the one error's
code and message (the API answers the same errors as JSON)."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse
from starlette.types import Scope, Send

from socialcredit.errors import SocialCreditError
from socialcredit.web.errors import domain_error
from socialcredit.web.portal.render import page


def error_page(
    request: Request, error: SocialCreditError, status: int, headers: dict[str, str]
) -> HTMLResponse:
    response = page(request, "error.html", status=status, error=error.to_dict(), status_code=status)
    for name, value in headers.items():
        response.headers[name] = value
    return response


async def page_refusal(scope: Scope, send: Send, exc: SocialCreditError) -> None:
    """The gate's refusal of a page request, as the error page."""
    status, _body, headers = domain_error(exc)

    async def nothing() -> dict[str, object]:
        return {"type": "http.request", "body": b"", "more_body": False}

    request = Request(scope, nothing)
    response = error_page(request, exc, status, headers)
    await response(scope, nothing, send)
