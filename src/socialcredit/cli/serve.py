"""``serve``: the HTTP API (and pages) under uvicorn.

The app is built by ``web.app.create_app`` from the same :class:`Settings` object
the command line built; with ``--workers N`` each worker process receives that
object (pickled with the factory) and builds its own app and in-memory index.
"""

from __future__ import annotations

from functools import partial
from typing import Annotated

import typer

from socialcredit.cli.options import open_store, settings


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Worker processes.")] = 1,
) -> None:
    """Serve the HTTP API (and pages) with uvicorn."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    from socialcredit.web.app import create_app

    open_store(ctx).close()  # refuse to start on an uninitialised store
    config = uvicorn.Config(
        partial(create_app, settings(ctx), warm_up=True),
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        access_log=False,
        # a worker compiling its pages at start-up on a busy machine may answer the
        # supervisor's ping late: 30 s before it is taken for hung, not uvicorn's 5
        timeout_worker_healthcheck=30,
    )
    if workers > 1:
        Multiprocess(config, sockets=[config.bind_socket()]).run()
        return
    server = uvicorn.Server(config)
    server.run()
    if not server.started:  # the port was taken, say: uvicorn logged why
        raise typer.Exit(3)
