"""``/dashboards/risk``: the risk scorecard's report as kept with its versions -- the
active model's out-of-time AUC and KS against the naive baseline, its calibration by
decile, and every version with its state and dry run; supervisors and auditors only, by
the permission table. Nothing is computed here: the population stability month by month
reads the whole ledger (``socialcredit risk report``, ``GET /v1/risk/report``)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from socialcredit.supervision.risk.models import versions
from socialcredit.web.deps import StoreDep
from socialcredit.web.portal.render import N_, page

PATH = "/dashboards/risk"
router = APIRouter(include_in_schema=False)
STATES = {"candidate": N_("candidate"), "active": N_("active"), "retired": N_("retired")}


@router.get(PATH)
def risk_page(request: Request, store: StoreDep) -> HTMLResponse:
    models = versions(store)
    active = next((m for m in models if m.state == "active"), None)
    return page(
        request,
        "risk.html",
        active=active,
        evaluation=active.evaluation if active is not None else None,
        models=[m.summary() for m in reversed(models)],  # the newest first
        states=STATES,
    )
