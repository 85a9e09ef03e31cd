"""``/admin``: accounts, API keys and providers; forms to create an account, create a
key (its token shown once, on the answer to the form) and revoke a key.

Every change is an audited write of :mod:`socialcredit.access`; a refused form
(a bad account id, a scope that names nothing) renders the error page and
changes nothing. Key secrets are never listed: only the token of a key just
created is shown, once.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import func, select
from starlette.concurrency import run_in_threadpool

from socialcredit.access.keys import InvalidKey, create_key, list_keys, revoke_key
from socialcredit.access.principal import ACCOUNT_ROLES
from socialcredit.access.users import create_user, list_users
from socialcredit.store.database import Store
from socialcredit.store.tables import provider_categories, providers
from socialcredit.web.deps import StoreDep
from socialcredit.web.portal.forms import checked_form, field
from socialcredit.web.portal.render import page

router = APIRouter(include_in_schema=False)


def provider_rows(store: Store) -> list[dict[str, Any]]:
    """Registered providers with the number of categories each may report."""
    counted = (
        select(provider_categories.c.provider, func.count().label("n"))
        .group_by(provider_categories.c.provider)
        .subquery()
    )
    query = (
        select(providers, func.coalesce(counted.c.n, 0).label("categories"))
        .select_from(providers.outerjoin(counted, counted.c.provider == providers.c.id))
        .order_by(providers.c.id)
    )
    with store.reader() as conn:
        return [dict(r._mapping) for r in conn.execute(query)]


def admin_page(request: Request, store: Store, status: int = 200, **extra: Any) -> HTMLResponse:
    context: dict[str, Any] = {"done": None, "token": None, "made_key": None}
    context.update(extra)
    return page(
        request,
        "admin.html",
        status=status,
        accounts=list_users(store),
        keys=list_keys(store),
        providers=provider_rows(store),
        roles=ACCOUNT_ROLES,
        **context,
    )


@router.get("/admin")
def admin(request: Request, store: StoreDep) -> HTMLResponse:
    done = request.query_params.get("done")
    return admin_page(request, store, done=done if done in ("account", "revoked") else None)


@router.post("/admin/users")
async def admin_create_user(request: Request, store: StoreDep) -> Response:
    form = await checked_form(request)
    account = field(form, "id", max_length=80).lower()
    name = field(form, "name", max_length=200)
    role = field(form, "role", max_length=40)
    password = field(form, "password", max_length=200)
    subject = field(form, "subject", required=False, max_length=40) or None
    agency = field(form, "agency", required=False, max_length=80) or None
    await run_in_threadpool(
        create_user, store, account, name, role, password, subject=subject, agency=agency
    )
    return RedirectResponse("/admin?done=account", status_code=303)


@router.post("/admin/keys")
async def admin_create_key(request: Request, store: StoreDep) -> HTMLResponse:
    form = await checked_form(request)
    name = field(form, "name", max_length=200)
    scopes = field(form, "scopes", max_length=2000).replace(",", " ").split()
    rate_text = field(form, "rate", required=False, max_length=20)
    try:
        rate = float(rate_text) if rate_text else None
    except ValueError:
        raise InvalidKey(f"rate: {rate_text!r} is not a number", field="rate") from None
    key, token = await run_in_threadpool(create_key, store, name, scopes, rate)
    return admin_page(request, store, token=token, made_key=key.id)


@router.post("/admin/keys/{key}/revoke")
async def admin_revoke_key(request: Request, key: str, store: StoreDep) -> Response:
    await checked_form(request)
    await run_in_threadpool(revoke_key, store, key)
    request.app.state.keyring.forget()
    return RedirectResponse("/admin?done=revoked", status_code=303)
