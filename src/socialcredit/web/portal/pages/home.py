"""``/``: the search box and the public lists; ``/language``: switch the language."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from socialcredit.ledger.policy_store import policy_at
from socialcredit.web.deps import StoreDep
from socialcredit.web.portal import i18n
from socialcredit.web.portal.names import list_title
from socialcredit.web.portal.render import page

router = APIRouter(include_in_schema=False)
YEAR = 365 * 24 * 3600


@router.get("/")
def home(request: Request, store: StoreDep) -> HTMLResponse:
    with store.reader() as conn:
        policy, _note = policy_at(conn, store.clock.now())
    lang = i18n.choose(request.cookies.get(i18n.COOKIE), request.headers.get("accept-language"))
    lists = [(name, list_title(lst.definition, lang)) for name, lst in sorted(policy.lists.items())]
    return page(request, "home.html", lists=lists)


@router.get("/language")
def switch_language(
    lang: Annotated[str, Query(max_length=10)],
    next: Annotated[str, Query(max_length=500)] = "/",
) -> RedirectResponse:
    """Remember the language chosen and go back to the page (on this site only)."""
    tag = lang if lang in i18n.LANGUAGES else i18n.DEFAULT
    target = next if next.startswith("/") and not next.startswith("//") else "/"
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(i18n.COOKIE, tag, max_age=YEAR, samesite="lax", path="/")
    return response
