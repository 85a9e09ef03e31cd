"""The browser suite: the app served by uvicorn on a free local port over a small seeded
store, driven by Debian's chromium through Playwright.

One browser for the whole suite and one server (over its own store) for each test
module, so that a module's journey changes no other module's world; each test gets a
fresh browser context (no cookies: a first visit), whose relative URLs go to the server.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, sync_playwright

from socialcredit.clock import FixedClock
from socialcredit.ledger.bootstrap import init_store
from socialcredit.settings import Settings
from socialcredit.store.database import Store
from socialcredit.web.app import create_app

from support.portal_browser import World, ensure_axe, seed

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--headless=new",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, World]]:
    """The store, seeded, and the server over it: (base URL, accounts and keys). A
    module's own ``seed_more(store)``, if it has one, adds to the seed."""
    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'store.db'}"
    clock = FixedClock("2026-03-02T02:00:00")
    store = Store(url, clock=clock)
    init_store(store, Settings(db=url))
    made = seed(store)
    more = getattr(request.module, "seed_more", None)
    if more is not None:
        more(store)
    store.close()
    settings = Settings(db=url, public_rate_limit=1000)
    port = free_port()
    config = uvicorn.Config(
        create_app(settings, clock=clock), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", made
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def base_url(world: tuple[str, World]) -> str:
    return world[0]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"{CHROMIUM} is missing: `apt-get install chromium` (make test does)")
    ensure_axe()
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser, base_url: str) -> Iterator[Page]:
    """A first visit: a fresh context, in Chinese (the portal's default), 1280 wide."""
    context = browser.new_context(
        base_url=base_url, locale="zh-CN", viewport={"width": 1280, "height": 800}
    )
    context.set_default_timeout(10_000)
    opened = context.new_page()
    yield opened
    context.close()
