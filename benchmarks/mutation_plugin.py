"""The pytest plugin `make mutation` loads (pyproject.toml, ``[tool.mutmut]``, ``-p``).

mutmut runs, against each mutant, the tests that call the mutated function, and
stops at the first failure. Two things decide how long that takes:

* a property test that fails spends minutes shrinking its counterexample, often
  past mutmut's time limit (a "timeout" rather than a kill). The Hypothesis
  profile ``mutation`` skips shrinking, keeps no example database and draws the
  same examples every time, so a mutant's verdict does not depend on what an
  earlier mutant left behind or on chance;
* the order of the tests: the test modules run cheapest first (by the durations
  mutmut measured on the unmutated code), each module's tests in their own order
  so that module fixtures are set up once.
"""

from __future__ import annotations

from collections import defaultdict
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


def _durations() -> dict[str, float]:
    """mutmut's measured seconds per test id; empty before it has measured them."""
    try:
        from mutmut.state import state
    except ImportError:  # pragma: no cover - run without mutmut
        return {}
    return dict(state().duration_by_test)


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


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    cheapest_modules_first(items, _durations())
