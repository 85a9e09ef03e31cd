"""GET /v1/health: is the store reachable and initialised."""

from __future__ import annotations

from fastapi import APIRouter

from socialcredit import __version__
from socialcredit.web.deps import StoreDep

router = APIRouter(prefix="/v1", tags=["health"])


@router.get("/health")
def health(store: StoreDep) -> dict[str, str]:
    store.require_schema()
    return {"status": "ok", "version": __version__, "schema": store.head_revision()}
