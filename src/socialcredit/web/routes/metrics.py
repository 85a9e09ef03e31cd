"""GET /metrics: the app's Prometheus metrics, in the text format."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST

from socialcredit.web.metrics import Metrics

router = APIRouter(tags=["metrics"])


@router.get("/metrics", response_class=Response)
def metrics(request: Request) -> Response:
    """Request counts and latencies by route template and status, checks by outcome,
    records ingested by outcome (counts only: no subject, key or account)."""
    found: Metrics = request.app.state.metrics
    return Response(found.text(), media_type=CONTENT_TYPE_LATEST)
