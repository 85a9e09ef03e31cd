"""``/dashboards``: every dashboard's chart, drawn on the server as SVG and inlined as
markup (with an accessible name), beside the table of its figures."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from socialcredit.access.permissions import allowed, rule_for
from socialcredit.dashboards.catalogue import dashboards
from socialcredit.dashboards.charts import svg
from socialcredit.dashboards.model import Cell, Column
from socialcredit.web.deps import StoreDep
from socialcredit.web.portal.render import page, visit

router = APIRouter(include_in_schema=False)
SUPERVISION = "/dashboards/supervision"  # pages/supervision.py
RISK = "/dashboards/risk"  # pages/risk.py


@dataclass(frozen=True)
class Shown:
    """One dashboard as the page shows it, in the page's language."""

    name: str
    title: str
    note: str
    chart: Markup
    columns: tuple[Column, ...]
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


@router.get("/dashboards")
def dashboards_page(request: Request, store: StoreDep) -> HTMLResponse:
    seen = visit(request)
    chinese = seen.lang.is_chinese
    shown = [
        Shown(
            name=board.name,
            title=board.heading(chinese),
            note=board.explanation(chinese),
            # vl-convert's SVG, checked by charts.svg to carry no script and no URL
            chart=Markup(svg(board, chinese)),
            columns=board.columns,
            headers=tuple(c.label(chinese) for c in board.columns),
            rows=board.shown_rows(chinese),
        )
        for board in dashboards(store)
    ]
    # the saved supervision reports, linked for those the permission table lets in
    rule = rule_for("GET", SUPERVISION)
    linked = rule is not None and allowed(seen.principal, rule)
    risk = rule_for("GET", RISK)
    risk_linked = risk is not None and allowed(seen.principal, risk)
    return page(request, "dashboards.html", boards=shown, supervision=SUPERVISION if linked else "",
                risk=RISK if risk_linked else "")  # fmt: skip
