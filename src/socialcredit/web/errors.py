"""One error shape for the API: ``{"error": {"code", "message", "field"?}}``."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from socialcredit.errors import SocialCreditError
from socialcredit.remedies.errors import STATUS as REMEDY_STATUS

STATUS = {
    "not_found": 404,
    "unauthorised": 401,
    "forbidden": 403,
    "malformed": 422,
    "too_many": 413,
    "conflict": 409,
    "not_initialised": 503,
    "needs_upgrade": 503,
    **REMEDY_STATUS,  # invalid_transition, deadline_passed, not_repairable, too_early…
}


def status_of(code: str) -> int:
    return STATUS.get(code, 400)


def install(app: FastAPI) -> None:
    @app.exception_handler(SocialCreditError)
    async def _domain(_request: Request, exc: SocialCreditError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.code == "unauthorised" else None
        return JSONResponse(
            {"error": exc.to_dict()}, status_code=status_of(exc.code), headers=headers
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid request"}
        field = ".".join(str(p) for p in first.get("loc", ()) if p != "body") or None
        body = {"code": "malformed", "message": f"{field or 'request'}: {first['msg']}"}
        if field:
            body["field"] = field
        return JSONResponse({"error": body}, status_code=422)
