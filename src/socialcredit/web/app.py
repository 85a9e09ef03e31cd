"""The FastAPI application factory."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path  # type: ignore[import-untyped]

from socialcredit import __version__
from socialcredit.access.keys import KeyRing
from socialcredit.access.sessions import SessionCodec
from socialcredit.access.throttle import LoginThrottle
from socialcredit.clock import Clock
from socialcredit.enforcement.service import CheckOptions, Enforcement
from socialcredit.settings import Settings
from socialcredit.store.database import Store
from socialcredit.web import errors
from socialcredit.web.check_lane import CheckLane
from socialcredit.web.gate import KeyGate
from socialcredit.web.limits import BodyLimit
from socialcredit.web.metrics import Metrics, RequestMetrics
from socialcredit.web.portal.errors import error_page, page_refusal
from socialcredit.web.portal.pages import (
    admin,
    agency,
    audit,
    docs,
    home,
    login,
    me,
    policy,
    review,
)
from socialcredit.web.portal.pages import dashboards as dashboards_page
from socialcredit.web.portal.pages import public as public_pages
from socialcredit.web.portal.pages import risk as risk_page
from socialcredit.web.portal.pages import search as search_page
from socialcredit.web.portal.pages import supervision as supervision_page
from socialcredit.web.portal.security import SecurityHeaders
from socialcredit.web.portal.warm import warm
from socialcredit.web.routes import (
    appeals,
    checks,
    dashboards,
    fairness,
    health,
    holds,
    justifications,
    metrics,
    notices,
    objections,
    public,
    records,
    repairs,
    reports,
    resolution,
    risk,
    search,
    supervision_judges,
    supervision_officials,
    supervision_providers,
)
from socialcredit.web.schema import KEYED, PUBLIC, RECORDS, REMEDY


def app_from_env() -> FastAPI:
    """The factory `uvicorn --factory socialcredit.web.app:app_from_env` calls in each
    worker: settings from the environment. (`socialcredit serve` passes its own
    Settings object to `create_app` instead.)"""
    return create_app(Settings.from_env(), warm_up=True)


def create_app(
    settings: Settings,
    *,
    clock: Clock | None = None,
    options: CheckOptions | None = None,
    check_lane: bool = True,
    warm_up: bool = False,
) -> FastAPI:
    """The API over the store `settings.db`. With `check_lane` (the default),
    JSON requests to `POST /v1/checks` are answered by the lean ASGI lane
    (`web/check_lane.py`); without it, by the FastAPI route alone. Every request
    passes the body limit (`web/limits.py`) and then, for keyed routes, the key
    gate (`web/gate.py`) before any of its body is read. With `warm_up` (served
    apps), the pages' policy plan, templates and chart engine are compiled at
    start-up rather than in the first requests."""
    store = Store(settings.db, clock=clock)
    store.require_schema()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if warm_up:  # before the first request, not during it (web/portal/warm.py)
            warm(store)
        yield
        app.state.enforcement.close()
        store.close()

    app = FastAPI(
        title="socialcredit",
        version=__version__,
        lifespan=lifespan,
        docs_url=None,  # served by the portal from the app's own files (no CDN)
        redoc_url=None,
    )
    app.state.store = store
    app.state.settings = settings
    app.state.metrics = Metrics()  # this app's own registry (web/metrics.py)
    app.state.enforcement = Enforcement(store, options)
    app.state.keyring = KeyRing(store, default_rate=settings.api_rate_limit)
    secret = settings.session_secret or secrets.token_urlsafe(48)
    app.state.sessions = SessionCodec(secret, int(settings.session_hours * 3600))
    app.state.login_throttle = LoginThrottle()
    errors.install(app, page_error=error_page)
    static = Path(__file__).parent / "portal" / "static"
    app.mount("/static/swagger", StaticFiles(directory=swagger_ui_path), name="swagger")
    app.mount("/static", StaticFiles(directory=static), name="static")
    for page_router in (home.router, login.router, docs.router, admin.router, audit.router):
        app.include_router(page_router)
    app.include_router(review.router)
    app.include_router(policy.router)
    app.include_router(me.router)
    app.include_router(agency.router)
    app.include_router(public_pages.router)
    app.include_router(health.router, responses=PUBLIC)
    app.include_router(checks.router, responses=KEYED)
    for router in (objections.router, appeals.router, repairs.router):  # docs/remedies.md
        app.include_router(router, responses=REMEDY)
    app.include_router(notices.router, responses=KEYED)
    app.include_router(dashboards.router, responses=KEYED)
    app.include_router(supervision_judges.router, responses=KEYED)
    app.include_router(dashboards_page.router)
    app.include_router(records.router, responses=RECORDS)
    app.include_router(metrics.router, include_in_schema=False)
    app.include_router(reports.router, responses=KEYED)
    app.include_router(supervision_officials.router, responses=KEYED)
    app.include_router(public.router)  # no key: documents its own statuses
    app.include_router(search.router, responses=search.RESPONSES)
    app.include_router(search_page.router)
    app.include_router(supervision_providers.router, responses=KEYED)
    app.include_router(holds.router, responses=REMEDY)
    app.include_router(supervision_page.router)
    app.include_router(justifications.router, responses=REMEDY)
    app.include_router(fairness.router, responses=KEYED)
    app.include_router(risk.router, responses=KEYED)
    app.include_router(risk_page.router)
    app.include_router(resolution.router, responses=KEYED)  # entity resolution's review
    if check_lane:
        app.add_middleware(CheckLane, state=app.state)
    # the last added runs first: the headers, the size bound, the gate, then the lane
    app.add_middleware(
        KeyGate,
        keyring=app.state.keyring,
        sessions=app.state.sessions,
        public_rate=settings.public_rate_limit,
        page_refusal=page_refusal,
    )
    app.add_middleware(BodyLimit, max_bytes=settings.max_request_bytes)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(RequestMetrics, metrics=app.state.metrics)  # outermost: counts all
    return app
