"""The app factory `uvicorn --factory benchmarks.bench_app:app` serves in the HTTP benchmark."""

from __future__ import annotations

from fastapi import FastAPI

from socialcredit.clock import FixedClock
from socialcredit.settings import Settings
from socialcredit.web.app import create_app


def app() -> FastAPI:
    # the benchmark store's data are dated around this instant
    return create_app(Settings.from_env(), clock=FixedClock("2026-03-02T02:00:00"))
