"""Writing one section of benchmarks/RESULTS.md, leaving the others intact."""

from __future__ import annotations

import os
import platform
import re
import statistics
from pathlib import Path

RESULTS = Path(__file__).parent / "RESULTS.md"
RESULTS_ENV = "SOCIALCREDIT_BENCH_RESULTS"  # another file to write to (`make bench-quick`)
HEADER = (
    "# Benchmark results\n\n"
    "Measured on a shared, noisy 2-core machine with 24 GiB: medians of several runs, and\n"
    "ratios against a baseline measured in the same run. Rerun any section with the command\n"
    "its heading names.\n"
)


def machine() -> str:
    return f"Python {platform.python_version()} on {platform.machine()}, {platform.system()}"


def median(values: list[float]) -> float:
    return statistics.median(values)


def results_path() -> Path:
    """RESULTS.md, or the file ``SOCIALCREDIT_BENCH_RESULTS`` names (quick runs, whose
    figures at small sizes must not replace the measured ones)."""
    other = os.environ.get(RESULTS_ENV)
    return Path(other) if other else RESULTS


def write_section(title: str, body: str, path: Path | None = None) -> None:
    """Replace (or append) the section whose heading is ``## title``."""
    path = path or results_path()
    text = path.read_text(encoding="utf-8") if path.exists() else HEADER
    section = f"## {title}\n\n{body.strip()}\n"
    pattern = re.compile(rf"^## {re.escape(title)}\n.*?(?=^## |\Z)", re.DOTALL | re.MULTILINE)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text.rstrip("\n") + "\n", encoding="utf-8")
