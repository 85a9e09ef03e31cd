"""One Spark session (local mode) for every Spark test of a test process."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest


@pytest.fixture(scope="session")
def spark() -> Iterator[object]:
    """A local[2] Spark session, stopped at the end of the test session; the Spark tests
    are skipped (with the reason) only where there is no Java to run it."""
    if shutil.which("java") is None:
        pytest.skip("Spark suite skipped: no java on PATH (Spark needs Java 17)")
    from socialcredit.engine.batch.adapters.spark_execute import start_session, stop_session

    session = start_session("local[2]")
    yield session
    stop_session(session)
