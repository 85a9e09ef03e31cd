"""``/subjects/{code}``: a subject's public record; ``/lists/{list}``: a public list,
paged, with a search box. Both show what the public API answers, in the page's language."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse

from socialcredit.disclosure.public import public_list, public_subject
from socialcredit.web.deps import StoreDep
from socialcredit.web.portal.render import N_, page
from socialcredit.web.routes.public import resolve

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 20

KINDS = {
    "person": N_("Natural person"),
    "enterprise": N_("Enterprise"),
    "institution": N_("Public institution"),
}
LIST_KINDS = {"black": N_("Black list"), "red": N_("Red list")}
DECISIONS = {"licence": N_("Administrative licence"), "penalty": N_("Administrative penalty")}
PENALTIES = {
    "warning": N_("Warning"),
    "fine": N_("Fine"),
    "confiscation": N_("Confiscation"),
    "suspension": N_("Suspension of business"),
    "licence_revoked": N_("Licence revoked"),
    "detention": N_("Administrative detention"),
}
ATTRIBUTES = {"case_no": N_("Case number"), "decision_no": N_("Decision number")}


@router.get("/subjects/{code}")
def subject_page(
    request: Request, code: Annotated[str, Path(max_length=40)], store: StoreDep
) -> HTMLResponse:
    body = public_subject(store, resolve(store, code))
    return page(
        request,
        "subject.html",
        subject=body,
        kinds=KINDS,
        list_kinds=LIST_KINDS,
        decision_types=DECISIONS,
        penalties=PENALTIES,
        attribute_names=ATTRIBUTES,
    )


@router.get("/lists/{list}")
def list_page(
    request: Request,
    name: Annotated[str, Path(alias="list", max_length=80)],
    store: StoreDep,
    page_no: Annotated[int, Query(alias="page", ge=1, le=1_000_000)] = 1,
    page_size: Annotated[int, Query(ge=1)] = PAGE_SIZE,
    q: Annotated[str | None, Query(max_length=100)] = None,
) -> HTMLResponse:
    query = (q or "").strip() or None
    body = public_list(store, name, page_no, page_size, query)
    pages = max(1, -(-body["total"] // page_size))
    return page(
        request,
        "list.html",
        listing=body,
        q=query or "",
        pages=pages,
        previous=_link(name, page_no - 1, page_size, query) if page_no > 1 else None,
        next=_link(name, page_no + 1, page_size, query) if page_no < pages else None,
        kinds=KINDS,
        list_kinds=LIST_KINDS,
        attribute_names=ATTRIBUTES,
    )


def _link(name: str, page_no: int, page_size: int, q: str | None) -> str:
    params: dict[str, Any] = {"page": page_no}
    if page_size != PAGE_SIZE:
        params["page_size"] = page_size
    if q:
        params["q"] = q
    return f"/lists/{name}?{urlencode(params)}"
