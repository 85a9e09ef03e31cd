"""``/search?q=``: the public lookup's results, each linking to the subject's page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from socialcredit.lookup.public import public_search, shown_query
from socialcredit.lookup.search import MAX_QUERY
from socialcredit.web.deps import StoreDep
from socialcredit.web.portal.render import N_, page

router = APIRouter(include_in_schema=False)
KINDS = {
    "person": N_("Person"),
    "enterprise": N_("Enterprise"),
    "institution": N_("Institution"),
}


@router.get("/search")
def search_page(request: Request, store: StoreDep, q: Annotated[str, Query()] = "") -> HTMLResponse:
    query = q.strip()
    hits = public_search(store, query) if query else []
    shown = shown_query(query)
    return page(
        request,
        "search.html",
        q=shown,
        retype=shown != query,  # an identity number is not put back into the form
        hits=hits,
        kinds=KINDS,
        max_query=MAX_QUERY,
    )
