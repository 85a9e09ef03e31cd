"""Shared fixtures: a fresh store on SQLite (always) and on PostgreSQL (when configured).

PostgreSQL tests run on the database ``SOCIALCREDIT_TEST_POSTGRES`` names or, when it is
unset and PostgreSQL's binaries are installed, on a throwaway cluster the session starts
(support/pg_cluster.py); each test gets its own schema, dropped afterwards. ``off`` turns
the PostgreSQL suite off; ``SOCIALCREDIT_TEST_REQUIRE_POSTGRES=1`` (CI) makes its absence
an error. The summary at the end says which PostgreSQL ran.
"""

from __future__ import annotations

import os
import signal
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

from support.pg_cluster import Cluster, ClusterError, configured_url, session_postgres

PG_ENV = "SOCIALCREDIT_TEST_POSTGRES"
_SUITES: dict[str, str] = {}
_CLUSTER: list[Cluster] = []


def pytest_configure(config: pytest.Config) -> None:
    if hasattr(config, "workerinput"):  # a pytest-xdist worker: the controller decided
        return
    selected = not ("not postgres" in (config.option.markexpr or "") or config.option.collectonly)
    if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:  # killed: still stop the cluster
        signal.signal(signal.SIGTERM, _interrupt)
    try:
        line, cluster = session_postgres(os.environ, selected)
    except ClusterError as exc:
        raise pytest.UsageError(str(exc)) from None
    _SUITES["postgres"] = line
    if cluster is not None:
        _CLUSTER.append(cluster)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def pytest_unconfigure(config: pytest.Config) -> None:
    while _CLUSTER:
        _CLUSTER.pop().stop()
        os.environ.pop(PG_ENV, None)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not configured_url(os.environ):
        reason = f"no PostgreSQL: {PG_ENV} unset or off and no throwaway cluster (summary)"
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(pytest.mark.skip(reason=reason))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _SUITES:
        terminalreporter.section("test suites")
        for suite, line in sorted(_SUITES.items()):
            terminalreporter.write_line(f"{suite}: {line}")


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
