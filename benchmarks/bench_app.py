"""The app factory `uvicorn --factory benchmarks.bench_app:app` serves in the HTTP benchmark."""

from __future__ import annotations

import os

from fastapi import FastAPI

from socialcredit.clock import FixedClock
from socialcredit.settings import Settings
from socialcredit.web.app import create_app


def app() -> FastAPI:
    # the benchmark store's data are dated around this instant; the route-only
    # variant is the baseline the lean check lane is compared with
    lane = os.environ.get("SOCIALCREDIT_BENCH_LANE", "1") == "1"
    return create_app(Settings.from_env(), clock=FixedClock("2026-03-02T02:00:00"), check_lane=lane)
