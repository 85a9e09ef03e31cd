"""Supervision of officials and local governments on the demo-size city:
`python -m benchmarks.bench_officials [--persons N] [--enterprises M] [--years Y] [--runs R]`.

The city is simulated and ingested week by week as `make demo` does (the ingestor with its
hooks, the clock at the end of each reporting week); then, timed, median of R runs each:

* `officials_report` over the last year and over the whole simulated period (the ledger
  snapshot exported from the store, every indicator of indicators.yaml, percentiles);
* `jurisdictions_report` over the whole period (directives, pack activations, reporting
  timeliness, objection answers, rankings);
* the two SVG figures.

Also checked: the procurement red flags found are those the simulator planted.
Target: each report under 30 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.results import machine, median, write_section
from socialcredit.clock import FixedClock
from socialcredit.demo import ingest_city
from socialcredit.ledger.bootstrap import init_store
from socialcredit.settings import Settings
from socialcredit.simulate import simulate
from socialcredit.store.database import Store
from socialcredit.supervision.charts import jurisdictions_svg, officials_svg
from socialcredit.supervision.jurisdictions import jurisdictions_report
from socialcredit.supervision.officials import officials_report

TARGET = 30.0
TITLE = "Supervision of officials and local governments (`python -m benchmarks.bench_officials`)"


def _timed(runs: int, call: Callable[[], Any]) -> tuple[float, list[float], Any]:
    times: list[float] = []
    result: Any = None
    for _ in range(runs):
        started = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - started)
    return median(times), times, result


def _flags(body: dict[str, Any], indicator: str) -> list[str]:
    [found] = [i for i in body["indicators"] if i["id"] == indicator]
    return sorted(u["unit"] for u in found["units"]["institution"] for _f in u.get("flags", []))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--enterprises", type=int, default=10_000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    warnings.simplefilter("ignore", UserWarning)  # DuckDB's note on Arrow copies
    with tempfile.TemporaryDirectory(prefix="bench-officials-") as tmp:
        work = Path(tmp)
        end = dt.date.today()
        started = time.perf_counter()
        simulate(
            work / "city",
            persons=args.persons,
            enterprises=args.enterprises,
            years=args.years,
            seed=1,
            end=end,
            formats=("parquet",),
        )
        url = f"sqlite:///{work / 'store.db'}"
        settings = Settings(db=url)
        start = end.replace(year=end.year - args.years) + dt.timedelta(days=1)
        clock = FixedClock(dt.datetime.combine(start, dt.time(1, 0)))
        store = Store(url, clock=clock)
        init_store(store, settings)
        ingested = ingest_city(store, clock, settings, work / "city")
        built = time.perf_counter() - started
        records = ingested.accepted

        year, year_runs, _ = _timed(args.runs, lambda: officials_report(store))
        whole, whole_runs, report = _timed(
            args.runs, lambda: officials_report(store, since=start, until=end)
        )
        responsive, resp_runs, jurisdictions = _timed(
            args.runs, lambda: jurisdictions_report(store, since=start, until=end)
        )
        drawing, _draw_runs, _ = _timed(
            args.runs, lambda: (officials_svg(report), jurisdictions_svg(jurisdictions))
        )
        body, jbody = report.to_dict(), jurisdictions.to_dict()
        truth = json.loads((work / "city" / "truth-officials.json").read_text(encoding="utf-8"))
        store.close()

    checks = []
    for indicator, key in (
        ("single_source_repeated", "repeated_single_source"),
        ("under_threshold", "under_threshold"),
        ("blacklisted_supplier", "blacklisted_supplier"),
    ):
        found = _flags(body, indicator)
        planted = sorted(t["institution"] for t in truth[key])
        checks.append(f"{indicator} {len(found)} of {len(planted)} planted" + (
            "" if found == planted else " (MISMATCH)"
        ))  # fmt: skip
    load = os.getloadavg()[0]
    worst = max(year, whole, responsive)
    write_section(
        TITLE,
        f"""
The demo-size city ({args.persons:,} persons, {args.enterprises:,} enterprises,
{args.years} years ending {end}) simulated and ingested week by week as `make demo` does
({records:,} records accepted; {built:.0f} s to build, not timed below); then each report
from a fresh snapshot of the SQLite store, median of {args.runs} runs; {machine()}.

| measure | median | runs |
| --- | ---: | --- |
| `officials_report`, the last year ({len(body["indicators"])} indicators, {body["institutions"]:,} institutions, {body["officials"]:,} officials) | {year:.2f} s | {", ".join(f"{t:.2f}" for t in year_runs)} |
| `officials_report`, the whole period | {whole:.2f} s | {", ".join(f"{t:.2f}" for t in whole_runs)} |
| `jurisdictions_report`, the whole period ({len(jbody["directives"])} directives, {len(jbody["ranking"])} jurisdictions) | {responsive:.2f} s | {", ".join(f"{t:.2f}" for t in resp_runs)} |
| both SVG figures (altair, vl-convert) | {drawing:.2f} s | |

Target: each report under {TARGET:.0f} s — {"met" if worst < TARGET else "NOT met"}.
Red flags found against those planted (truth-officials.json), whole period:
{"; ".join(checks)}. 1-minute load average at the end: {load:.1f}.
""",
    )


if __name__ == "__main__":
    main()
