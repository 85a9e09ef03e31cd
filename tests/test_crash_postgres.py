"""The crash harness on PostgreSQL (``python -m benchmarks.crash --db URL``): SIGKILL
during ingestion loses nothing and duplicates nothing. A file of its own so that it
runs beside the SQLite trials (tests/test_crash.py) on another worker."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from benchmarks.crash import run

pytestmark = pytest.mark.slow


@pytest.mark.postgres
def test_postgresql_trials_lose_and_duplicate_nothing(tmp_path: Path) -> None:
    summary = run(2, os.environ["SOCIALCREDIT_TEST_POSTGRES"], 1000, 12, tmp_path, log=False)
    assert [o.failures for o in summary.failed] == []
    assert summary.kills("ingest") >= 1
