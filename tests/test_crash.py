"""SIGKILL during ingestion, evaluation, the notice sweep and an objection decision loses
nothing, duplicates nothing and leaves derived state, the audit chain and e-mail
delivery as a clean run leaves them (the harness of ``python -m benchmarks.crash``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from benchmarks.crash import run

pytestmark = pytest.mark.slow


def test_sqlite_trials_lose_and_duplicate_nothing(tmp_path: Path) -> None:
    summary = run(4, None, 1000, 11, tmp_path, log=False)
    assert [o.failures for o in summary.failed] == []
    assert len(summary.outcomes) == 4
    # the kills caught ingestion mid-run, and each other stage once
    assert summary.kills("ingest") >= 3
    assert {o.stage for o in summary.outcomes} == {"ingest", "evaluate", "sweep", "decision"}
    assert all(o.smtp > 0 for o in summary.outcomes)
