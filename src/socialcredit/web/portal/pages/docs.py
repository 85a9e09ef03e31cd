"""``/docs``: the OpenAPI schema in Swagger UI, served from the app itself."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from socialcredit.web.portal.render import page

router = APIRouter(include_in_schema=False)


@router.get("/docs")
def docs(request: Request) -> HTMLResponse:
    return page(request, "docs.html")
