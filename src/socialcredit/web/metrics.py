"""Prometheus metrics of one app: requests, checks and ingested records.

Each app has its own :class:`~prometheus_client.CollectorRegistry` (never the
process-wide one), served as text at ``GET /metrics``. Requests are counted
and timed by the route's template (``/v1/objections/{case}``), never the raw
path, so that the number of series stays bounded whatever paths clients send;
a request that matches no route counts under ``unmatched``. Metrics hold counts
and latencies only: no subject, key or account.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from socialcredit.access.permissions import Rule, rule_for
from socialcredit.ledger.ingest import IngestResult
from socialcredit.web.gate import SCOPE_RULE

UNMATCHED = "unmatched"


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "socialcredit_http_requests",
            "HTTP requests answered, by method, route template and status.",
            ("method", "route", "status"),
            registry=self.registry,
        )
        self.latency = Histogram(
            "socialcredit_http_request_seconds",
            "Time to answer an HTTP request, by method, route template and status.",
            ("method", "route", "status"),
            registry=self.registry,
        )
        self.checks = Counter(
            "socialcredit_checks",
            "Decisions of POST /v1/checks, by outcome.",
            ("outcome",),
            registry=self.registry,
        )
        self.records = Counter(
            "socialcredit_records_ingested",
            "Records posted to /v1/records, by outcome: accepted, duplicate or the rejection code.",
            ("outcome",),
            registry=self.registry,
        )

    def decided(self, outcomes: Iterable[str]) -> None:
        for outcome in outcomes:
            self.checks.labels(outcome).inc()

    def ingested(self, result: IngestResult) -> None:
        if result.accepted:
            self.records.labels("accepted").inc(result.accepted)
        if result.duplicates:
            self.records.labels("duplicate").inc(result.duplicates)
        for code, n in result.codes.items():
            self.records.labels(code).inc(n)

    def text(self) -> bytes:
        return generate_latest(self.registry)


def route_of(scope: Scope) -> str:
    """The template of the route that answered (bounded), not the path asked for."""
    route = scope.get("route")
    if isinstance(route, BaseRoute) and isinstance(path := getattr(route, "path", None), str):
        return path
    # the row the gate found for the request (the check lane answers without a route)
    rule = scope[SCOPE_RULE] if SCOPE_RULE in scope else rule_for(scope["method"], scope["path"])
    if isinstance(rule, Rule):
        return rule.path
    return UNMATCHED


class RequestMetrics:
    """ASGI middleware: counts and times every HTTP request (outermost, so that
    refusals by the body limit and the gate count too)."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            labels = (scope["method"], route_of(scope), str(status))
            self.metrics.requests.labels(*labels).inc()
            self.metrics.latency.labels(*labels).observe(time.perf_counter() - started)
