"""``/agency``: a credit service agency's authorisations in force and its reads (subjects
masked), and ``/agency/reports/{code}?purpose=``: a report read under an authorisation
(logged, :func:`socialcredit.services.agencies.read_report`), or the refusal."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from socialcredit.errors import NotFound
from socialcredit.identifiers import parse
from socialcredit.masking import mask_identifier
from socialcredit.services import agencies
from socialcredit.web.deps import StoreDep
from socialcredit.web.gate import principal_of
from socialcredit.web.portal.pages.me import report_names
from socialcredit.web.portal.render import page, visit

router = APIRouter(include_in_schema=False)
Purpose = Annotated[str, Query(max_length=agencies.MAX_PURPOSE)]


def own_agency(request: Request) -> str:
    agency = principal_of(request.scope).agency
    if not agency:  # an agency's account always names its agency (access/users.py)
        raise NotFound("this login acts for no agency")
    return agency


@router.get("/agency")
def agency_page(
    request: Request,
    store: StoreDep,
    code: Annotated[str, Query(max_length=40)] = "",
    purpose: Purpose = "",
) -> Response:
    agency = own_agency(request)
    if code.strip():  # the lookup form: on to the report's own address
        subject = parse(code, "code").value
        query = urlencode({"purpose": purpose})
        return RedirectResponse(f"/agency/reports/{subject}?{query}", status_code=303)
    return page(
        request,
        "agency.html",
        agency=agency,
        grants=agencies.grants_to(store, agency),
        reads=agencies.reads_by(store, agency),
        mask=mask_identifier,
    )


@router.get("/agency/reports/{code}")
def agency_report(
    request: Request, store: StoreDep, code: str, purpose: Purpose = ""
) -> HTMLResponse:
    agency = own_agency(request)
    names = report_names(store, visit(request).lang)
    try:
        report = agencies.read_report(store, agency, code, purpose)
    except agencies.NotAuthorised as exc:
        return page(
            request,
            "agency_report.html",
            status=exc.status,
            report=None,
            error=exc.to_dict(),
            purpose=purpose,
            mask=mask_identifier,
            **names,
        )
    return page(
        request,
        "agency_report.html",
        report=report,
        purpose=purpose,
        mask=mask_identifier,
        **names,
    )
