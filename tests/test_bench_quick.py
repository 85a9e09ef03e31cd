"""`make bench-quick` (benchmarks/quick.py): every benchmark has small sizes, a failing one
fails the run and shows its output, and nothing it measures reaches RESULTS.md."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from benchmarks import quick
from benchmarks.results import RESULTS, RESULTS_ENV, write_section

BENCHMARKS = Path(quick.__file__).parent


def test_every_benchmark_has_a_quick_size() -> None:
    scripts = {p.stem for p in BENCHMARKS.glob("bench_*.py")} - {"bench_app"}  # uvicorn's app
    assert scripts <= set(quick.QUICK), sorted(scripts - set(quick.QUICK))


def test_a_failing_benchmark_is_reported_with_its_output(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(quick.ROOT)}
    outcome = quick._run("no_such_benchmark", "", tmp_path, env, limit=60)
    assert not outcome.ok
    assert "No module named benchmarks.no_such_benchmark" in outcome.log.read_text()


def test_a_benchmark_over_its_limit_is_stopped_and_fails(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(quick.ROOT)}
    outcome = quick._run("bench_assess", "--runs 100000000", tmp_path, env, limit=1)
    assert (outcome.ok, outcome.code) == (False, -1)
    assert "stopped after 1 s" in outcome.log.read_text()


def test_an_unknown_name_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        quick.main(["bench_nothing"])
    assert exit_.value.code == 2
    assert "no such benchmark: bench_nothing" in capsys.readouterr().err


def test_a_quick_run_writes_its_sections_elsewhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = RESULTS.read_bytes()
    monkeypatch.setenv(RESULTS_ENV, str(tmp_path / "quick.md"))
    write_section("Quick", "at small sizes")
    assert "## Quick\n\nat small sizes" in (tmp_path / "quick.md").read_text()
    assert RESULTS.read_bytes() == before


def test_a_benchmark_not_in_the_tree_is_named_and_not_run(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(quick.QUICK, "bench_gone", "")
    assert quick.main(["bench_gone"]) == 0
    out = capsys.readouterr().out
    assert "not in this tree: bench_gone" in out and "0 of 0 ran" in out
