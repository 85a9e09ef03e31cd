"""Shared fixtures: a fresh store on SQLite (always) and on PostgreSQL (when configured).

PostgreSQL tests run when ``SOCIALCREDIT_TEST_POSTGRES`` holds the URL of a
test database; each test gets its own schema, dropped afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from socialcredit.clock import FixedClock
from socialcredit.enforcement.service import Enforcement
from socialcredit.ledger.bootstrap import init_store
from socialcredit.settings import Settings
from socialcredit.store.database import Store

PG_ENV = "SOCIALCREDIT_TEST_POSTGRES"
_SKIPPED: dict[str, str] = {}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not os.environ.get(PG_ENV):
        reason = f"PostgreSQL suite skipped: set {PG_ENV} to a test database URL"
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(pytest.mark.skip(reason=reason))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    # Under pytest-xdist the workers collect; the controller knows the reason alone.
    if not os.environ.get(PG_ENV):
        _SKIPPED["postgres"] = f"PostgreSQL suite skipped: set {PG_ENV} to a test database URL"
    if _SKIPPED:
        terminalreporter.section("suites skipped")
        for suite, reason in sorted(_SKIPPED.items()):
            terminalreporter.write_line(f"{suite}: {reason}")


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock("2026-03-02T02:00:00")  # 10:00 in Beijing


def _pg_schema_url(base: str) -> Iterator[str]:
    schema = "t_" + uuid.uuid4().hex[:12]
    url = base.replace("postgresql://", "postgresql+psycopg://", 1)
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in url else "?"
    try:
        yield f"{url}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
    else:
        yield from _pg_schema_url(os.environ[PG_ENV])


@pytest.fixture
def store(db_url: str, clock: FixedClock) -> Iterator[Store]:
    s = Store(db_url, clock=clock)
    init_store(s, Settings(db=db_url))
    yield s
    s.close()


@pytest.fixture
def enforcement(store: Store) -> Iterator[Enforcement]:
    """The enforcement service on the test's store, closed afterwards."""
    service = Enforcement(store)
    yield service
    service.close()


@pytest.fixture
def sqlite_store(tmp_path: Path, clock: FixedClock) -> Iterator[Store]:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    s = Store(url, clock=clock)
    init_store(s, Settings(db=url))
    yield s
    s.close()
