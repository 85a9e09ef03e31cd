"""The app factories the HTTP benchmark serves with `uvicorn --factory`: `app` (the
platform's app, with or without the check lane) and `bare` (the floor: an ASGI
endpoint answering a constant JSON body)."""

from __future__ import annotations

import os

from fastapi import FastAPI
from starlette.types import ASGIApp, Receive, Scope, Send

from socialcredit.clock import FixedClock
from socialcredit.settings import Settings
from socialcredit.web.app import create_app


def app() -> FastAPI:
    # the benchmark store's data are dated around this instant; the route-only
    # variant is the baseline the lean check lane is compared with
    lane = os.environ.get("SOCIALCREDIT_BENCH_LANE", "1") == "1"
    return create_app(Settings.from_env(), clock=FixedClock("2026-03-02T02:00:00"), check_lane=lane)


BARE_BODY = b'{"outcome":"allow"}'


def bare() -> ASGIApp:
    """Reads the request's body and answers the same small JSON body to every request."""

    async def endpoint(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # lifespan: nothing to set up
            message = await receive()
            while message["type"] != "lifespan.shutdown":
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                message = await receive()
            await send({"type": "lifespan.shutdown.complete"})
            return
        more = True
        while more:
            message = await receive()
            more = message.get("more_body", False)
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(BARE_BODY)).encode()),
        ]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": BARE_BODY})

    return endpoint
