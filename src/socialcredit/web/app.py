"""The FastAPI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from socialcredit import __version__
from socialcredit.access.keys import KeyRing
from socialcredit.clock import Clock
from socialcredit.enforcement.service import CheckOptions, Enforcement
from socialcredit.settings import Settings
from socialcredit.store.database import Store
from socialcredit.web import errors
from socialcredit.web.check_lane import CheckLane
from socialcredit.web.gate import KeyGate
from socialcredit.web.limits import BodyLimit
from socialcredit.web.routes import appeals, checks, health, notices, objections, repairs
from socialcredit.web.schema import KEYED, PUBLIC, REMEDY


def app_from_env() -> FastAPI:
    """The factory `uvicorn --factory socialcredit.web.app:app_from_env` calls in each
    worker: settings from the environment. (`socialcredit serve` passes its own
    Settings object to `create_app` instead.)"""
    return create_app(Settings.from_env())


def create_app(
    settings: Settings,
    *,
    clock: Clock | None = None,
    options: CheckOptions | None = None,
    check_lane: bool = True,
) -> FastAPI:
    """The API over the store `settings.db`. With `check_lane` (the default),
    JSON requests to `POST /v1/checks` are answered by the lean ASGI lane
    (`web/check_lane.py`); without it, by the FastAPI route alone. Every request
    passes the body limit (`web/limits.py`) and then, for keyed routes, the key
    gate (`web/gate.py`) before any of its body is read."""
    store = Store(settings.db, clock=clock)
    store.require_schema()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        app.state.enforcement.close()
        store.close()

    app = FastAPI(title="socialcredit", version=__version__, lifespan=lifespan)
    app.state.store = store
    app.state.enforcement = Enforcement(store, options)
    app.state.keyring = KeyRing(store, default_rate=settings.api_rate_limit)
    errors.install(app)
    app.include_router(health.router, responses=PUBLIC)
    app.include_router(checks.router, responses=KEYED)
    for router in (objections.router, appeals.router, repairs.router):  # docs/remedies.md
        app.include_router(router, responses=REMEDY)
    app.include_router(notices.router, responses=KEYED)
    if check_lane:
        app.add_middleware(CheckLane, state=app.state)
    # the last added runs first: the size bound, then the key, then the lane
    app.add_middleware(KeyGate, keyring=app.state.keyring)
    app.add_middleware(BodyLimit, max_bytes=settings.max_request_bytes)
    return app
