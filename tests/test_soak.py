"""The one-minute soak (the ten-minute one is `python -m benchmarks.soak`): mixed ingest,
checks, reports, public searches and objections against a real server; no error, and
the server's memory bounded."""

from __future__ import annotations

import pytest
from benchmarks.soak import run, summary


@pytest.mark.slow
def test_a_minute_of_mixed_traffic_has_no_error_and_bounded_memory() -> None:
    out = summary(run(seconds=60, clients=6, persons=1500))
    assert out["errors"] == 0, {k: v["first_error"] for k, v in out["kinds"].items()}
    assert set(out["kinds"]) == {"ingest", "check", "report", "search", "remedy"}
    assert all(k["requests"] > 0 for k in out["kinds"].values())
    assert abs(out["memory_growth"]) <= 0.20, out
