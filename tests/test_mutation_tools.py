"""`make mutation`'s own tools: the score report read from mutmut's results, and the
pytest plugin that runs the cheapest test modules first."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from benchmarks.mutation_report import TITLE, main, read_scores, report

pytest_plugins = ["pytester"]
ROOT = Path(__file__).resolve().parents[1]


def _meta(mutants: Path, module: str, codes: dict[str, int | None]) -> None:
    """A result file as mutmut 3 writes it next to a mutated module."""
    path = mutants / "src" / "socialcredit" / f"{module}.meta"
    path.parent.mkdir(parents=True, exist_ok=True)
    body = {
        "exit_code_by_key": codes,
        "hash_by_function_name": {},
        "type_check_error_by_key": {},
        "durations_by_key": {},
        "estimated_durations_by_key": {},
    }
    path.write_text(json.dumps(body), encoding="utf-8")


@pytest.fixture
def mutants(tmp_path: Path) -> Path:
    root = tmp_path / "mutants"
    # decide: 9 killed (exit 1; 3 is pytest's internal error, also a kill), 1 survived
    _meta(root, "enforcement/decide.py", {f"m{i}": 1 for i in range(8)} | {"m8": 3, "m9": 0})
    # plan: 3 killed, 2 survived, 1 timeout (SIGXCPU), 1 without tests, 1 not yet tried
    _meta(
        root,
        "engine/plan.py",
        {"a": 1, "b": 1, "c": 1, "d": 0, "e": 0, "f": -24, "g": 33, "h": None},
    )
    _meta(root, "engine/__init__.py", {})  # nothing to mutate: left out
    return root


def test_the_score_is_killed_over_killed_and_survived(mutants: Path) -> None:
    decide, plan = read_scores(mutants)
    assert decide.module == "socialcredit/enforcement/decide.py"
    assert (decide.mutants, decide.counts["killed"], decide.counts["survived"]) == (10, 9, 1)
    assert decide.score == 0.9
    assert plan.module == "socialcredit/engine/plan.py"
    assert [plan.counts[s] for s in ("killed", "survived", "timeout", "no tests")] == [3, 2, 1, 1]
    assert (plan.mutants, plan.other, plan.score) == (8, 1, 0.6)


def test_the_report_flags_the_modules_below_target(mutants: Path) -> None:
    text = report(read_scores(mutants), seconds=5400)
    assert "This run took 1.5 h of wall time." in text
    assert "| `enforcement/decide.py` | 10 | 9 | 1 | 0 | 0 | 0 | 90.0% |" in text
    assert "| `engine/plan.py` | 8 | 3 | 2 | 1 | 1 | 1 | 60.0% (below target) |" in text
    assert "| **all** | 18 | 12 | 3 | 1 | 1 | 1 | 80.0% (below target) |" in text
    assert text.endswith("Below target: `socialcredit/engine/plan.py`.")


def test_the_report_replaces_its_section_and_keeps_the_others(
    mutants: Path, tmp_path: Path
) -> None:
    results = tmp_path / "RESULTS.md"
    results.write_text(
        f"# Benchmark results\n\n## Before\n\nkept\n\n## {TITLE}\n\nold\n\n## After\n\nkept too\n",
        encoding="utf-8",
    )
    assert main(["--mutants", str(mutants), "--results", str(results)]) == 0
    text = results.read_text(encoding="utf-8")
    assert "old" not in text
    assert text.index("## Before\n\nkept") < text.index(TITLE) < text.index("## After\n\nkept too")
    assert "`engine/plan.py`" in text


def test_without_results_the_report_says_to_run_mutmut_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    results = tmp_path / "RESULTS.md"
    assert main(["--mutants", str(tmp_path / "none"), "--results", str(results)]) == 1
    assert "run `make mutation` first" in capsys.readouterr().out
    assert not results.exists()


# -- the plugin ----------------------------------------------------------------------------

SLOW = """
import time

import pytest


@pytest.fixture
def store():
    time.sleep(0.3)  # a fresh store: the cost is in the setup


def test_one(store):
    pass


def test_two(store):
    pass
"""
FAST = """
def test_three():
    pass


def test_four():
    pass
"""


def _run(pytester: pytest.Pytester) -> list[str]:
    result = pytester.runpytest_subprocess(
        "-v", "-p", "benchmarks.mutation_plugin", "-p", "no:cacheprovider"
    )
    result.assert_outcomes(passed=4)
    return [line.split(" ")[0] for line in result.outlines if " PASSED" in line]


def test_the_first_run_measures_and_later_runs_go_cheapest_module_first(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    pytester.makepyfile(test_a_store=SLOW, test_b_plain=FAST)
    first = _run(pytester)
    assert first == [
        "test_a_store.py::test_one",
        "test_a_store.py::test_two",
        "test_b_plain.py::test_three",
        "test_b_plain.py::test_four",
    ]  # measuring: collection order
    measured = json.loads((pytester.path / "mutation-durations.json").read_text("utf-8"))
    assert set(measured) == {name for name in first}
    assert measured["test_a_store.py::test_one"] >= 0.3  # the setup counts
    assert measured["test_b_plain.py::test_three"] < 0.3
    assert _run(pytester) == first[2:] + first[:2]  # each module's tests in their order
    again = json.loads((pytester.path / "mutation-durations.json").read_text("utf-8"))
    assert again == measured  # measured once
