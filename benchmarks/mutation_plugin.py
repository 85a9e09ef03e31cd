"""The pytest plugin `make mutation` loads (pyproject.toml, ``[tool.mutmut]``, ``-p``).

mutmut runs, against each mutant, the tests that call the mutated function, and
stops at the first failure. Two things decide how long that takes:

* a property test that fails spends minutes shrinking its counterexample, often
  past mutmut's time limit (a "timeout" rather than a kill). The Hypothesis
  profile ``mutation`` skips shrinking, keeps no example database and draws the
  same examples every time, so a mutant's verdict does not depend on what an
  earlier mutant left behind or on chance;
* the order of the tests: the test modules run cheapest first, each module's
  tests in their own order so that module fixtures are set up once. The cost of
  a test is what it took on the unmutated code, setup and teardown included (a
  test on a fresh store spends most of its time in setup): measured on mutmut's
  first, unmutated run and kept in ``mutants/mutation-durations.json``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from statistics import mean

import pytest
from hypothesis import Phase, settings

settings.register_profile(
    "mutation",
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target],
    print_blob=False,
)

DURATIONS = Path("mutation-durations.json")  # mutmut runs the tests inside mutants/


class Durations:
    """Seconds per test id: measured once, then read by every later run."""

    def __init__(self, path: Path = DURATIONS) -> None:
        self.path = path
        self.known: dict[str, float] = {}
        self.measured: dict[str, float] = defaultdict(float)
        self.measuring = not path.exists()
        if not self.measuring:
            self.known = json.loads(path.read_text(encoding="utf-8"))

    def add(self, nodeid: str, seconds: float) -> None:
        if self.measuring:
            self.measured[nodeid] += seconds

    def save(self) -> None:
        if self.measuring and self.measured:
            self.path.write_text(json.dumps(self.measured, sort_keys=True), encoding="utf-8")


def cheapest_modules_first(items: list[pytest.Item], durations: dict[str, float]) -> None:
    """Reorder ``items`` in place: modules by the mean duration of their tests (unknown
    tests count as free), each module's tests kept in order."""
    if not durations:
        return
    by_module: dict[str, list[float]] = defaultdict(list)
    for item in items:
        by_module[item.nodeid.split("::")[0]].append(durations.get(item.nodeid, 0.0))
    cost = {module: mean(times) for module, times in by_module.items()}
    items.sort(key=lambda item: cost[item.nodeid.split("::")[0]])  # stable: keeps each order


_durations: Durations | None = None


def pytest_sessionstart(session: pytest.Session) -> None:
    global _durations
    _durations = Durations()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if _durations is not None:
        cheapest_modules_first(items, _durations.known)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if _durations is not None:
        _durations.add(report.nodeid, report.duration)


def pytest_sessionfinish(session: pytest.Session) -> None:
    if _durations is not None:
        _durations.save()
