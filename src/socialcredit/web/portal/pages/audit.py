"""``/audit``: is the audit chain intact, the latest decisions logged (subjects
masked), and the safeguards audit of the live state (the function
``socialcredit safeguards audit`` runs).

Both audits read the whole store; the page is for auditors and administrators,
who ask for it rarely, and it runs off the event loop.
"""

from __future__ import annotations

import re
from typing import Any

import orjson
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select

from socialcredit.masking import mask_identifier
from socialcredit.safeguards.audit import DEFAULT_DAYS, Violation, audit_safeguards
from socialcredit.store.database import Store
from socialcredit.store.tables import decision_log
from socialcredit.store.verify import verify
from socialcredit.web.deps import StoreDep
from socialcredit.web.portal.render import page

router = APIRouter(include_in_schema=False)
LATEST = 50
SHOWN = 100  # violations and items for review listed (the counts cover all)
RESIDENT_ID = re.compile(r"(?<![0-9A-Z])[0-9]{17}[0-9X](?![0-9A-Z])")


def masked(text: str) -> str:
    """``text`` with every resident identity number in it masked."""
    return RESIDENT_ID.sub(lambda m: mask_identifier(m.group()), text)


def shown(violations: list[Violation]) -> list[dict[str, str]]:
    return [
        {"check": v.check, "item": masked(v.item), "message": masked(v.message),
         "remedy": v.remedy}
        for v in violations[:SHOWN]
    ]  # fmt: skip


def latest_decisions(store: Store, limit: int = LATEST) -> list[dict[str, Any]]:
    """The last ``limit`` decisions logged, newest first, the subject masked."""
    query = select(decision_log).order_by(decision_log.c.seq.desc()).limit(limit)
    with store.reader() as conn:
        rows = conn.execute(query).all()
    out = []
    for r in rows:
        measures = orjson.loads(r.reasons).get("measures") or []
        out.append(
            {
                "seq": r.seq,
                "decided_at": r.decided_at,
                "requester": r.requester,
                "subject": mask_identifier(r.subject),
                "action": r.action,
                "outcome": r.outcome,
                "measures": [_measure(m) for m in measures],
                "purpose": r.purpose,
            }
        )
    return out


def _measure(logged: Any) -> str:
    """A measure as logged: the applied measure (its title), or its name alone."""
    if isinstance(logged, dict):
        return str(logged.get("title") or logged.get("measure") or "")
    return str(logged)


@router.get("/audit")
def audit(request: Request, store: StoreDep) -> HTMLResponse:
    with store.reader() as conn:
        chain = verify(conn)
    safeguards = audit_safeguards(store, days=DEFAULT_DAYS)
    return page(
        request,
        "audit.html",
        chain=chain,
        decisions=latest_decisions(store),
        safeguards=safeguards,
        review=shown(safeguards.review),
        violations=shown(safeguards.violations),
    )
