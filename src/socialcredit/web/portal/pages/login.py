"""``/login`` and ``/logout``: portal sessions in signed cookies.

Failed logins are throttled per account and per client address
(:class:`~socialcredit.access.throttle.LoginThrottle`); the answer to a wrong
password and to an unknown account is the same.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from socialcredit.access.sessions import COOKIE, SessionCodec
from socialcredit.access.throttle import LoginThrottle
from socialcredit.access.users import LoginFailed, authenticate
from socialcredit.web.deps import StoreDep
from socialcredit.web.portal.forms import checked_form, field
from socialcredit.web.portal.render import page, visit

router = APIRouter(include_in_schema=False)
HOME = {"subject": "/me", "reviewer": "/review", "appeal_reviewer": "/review",
        "agency": "/agency", "supervisor": "/dashboards", "policy_officer": "/policy",
        "auditor": "/audit", "admin": "/admin"}  # fmt: skip


def _safe(target: str) -> str:
    return target if target.startswith("/") and not target.startswith("//") else ""


@router.get("/login")
def login_form(request: Request, next: Annotated[str, Query(max_length=500)] = "") -> HTMLResponse:
    return page(request, "login.html", next=_safe(next), account="", problem=None)


@router.post("/login")
async def login(request: Request, store: StoreDep) -> Response:
    form = await checked_form(request)
    account = field(form, "account", max_length=80).lower()
    password = field(form, "password", max_length=200)
    target = _safe(field(form, "next", required=False, max_length=500))
    throttle: LoginThrottle = request.app.state.login_throttle
    client = f"ip:{request.client.host if request.client else 'unknown'}"
    throttle.check(f"account:{account}", client)
    try:
        user = authenticate(store, account, password)
    except LoginFailed as exc:
        throttle.failed(f"account:{account}", client)
        lang = visit(request).lang
        return page(
            request,
            "login.html",
            status=exc.status,
            next=target,
            account=account,
            problem=lang.gettext("Unknown account or wrong password."),
        )
    throttle.succeeded(f"account:{account}")
    sessions: SessionCodec = request.app.state.sessions
    cookie = sessions.issue(user.id, user.name, user.role, user.subject, user.agency)
    response = RedirectResponse(target or HOME.get(user.role, "/"), status_code=303)
    response.set_cookie(
        COOKIE,
        cookie,
        max_age=sessions.max_age,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    await checked_form(request)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response
