"""The batch engine on Spark against DuckDB: `python -m benchmarks.bench_spark [RECORDS ...]`.

For each size (default 1 M and 10 M records) a snapshot is generated (benchmarks/
batch_data.py, the generator of bench_batch and bench_batch_scale) and the benchmark
policy (benchmarks/batch_policy.py) is evaluated over it by the compiled engine on
DuckDB (2 threads, the baseline) and on Spark ``local[2]`` (one session for the run,
warmed on a small snapshot first; its start-up is reported apart). Both results must be
identical. Wall times, the ratio Spark / DuckDB and the 1-minute load average go to
benchmarks/RESULTS.md; time against records for both engines, log-log, to
benchmarks/scaling.svg.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path
from typing import Any

import altair as alt
import pyarrow as pa
import vl_convert as vlc

from benchmarks.batch_data import AT, write
from benchmarks.batch_policy import bench_policy
from benchmarks.results import RESULTS_ENV, machine, write_section
from socialcredit.engine.batch import evaluate_snapshot
from socialcredit.engine.batch.adapters.spark_execute import start_session, stop_session
from socialcredit.engine.batch.run import OUTPUT_SCHEMA

TITLE = "Batch evaluation on Spark against DuckDB (`python -m benchmarks.bench_spark`)"
SIZES = (1_000_000, 10_000_000)
WARM = 20_000
PLOT = Path(__file__).with_name("scaling.svg")


def _sorted(table: pa.Table) -> pa.Table:
    table = table.select(OUTPUT_SCHEMA.names).cast(OUTPUT_SCHEMA)
    return table.sort_by([("subject", "ascending"), ("scheme", "ascending")])


def _timed(fn: Any) -> tuple[float, float, pa.Table]:
    load = os.getloadavg()[0]
    clock = time.perf_counter()
    result = fn()
    return time.perf_counter() - clock, max(load, os.getloadavg()[0]), result


def run_size(records: int, session: object, work: Path) -> dict[str, float]:
    folder = work / f"snap-{records}"
    snap = write(folder, records)
    policy = bench_policy()
    duck_s, duck_load, duck = _timed(lambda: evaluate_snapshot(folder, policy, AT))
    spark_s, spark_load, spark = _timed(
        lambda: evaluate_snapshot(folder, policy, AT, engine="spark", session=session)
    )
    if not _sorted(duck).equals(_sorted(spark)):
        raise SystemExit(f"Spark and DuckDB disagree at {records:,} records")
    return {
        "records": snap.records,
        "rows": duck.num_rows,
        "duckdb": duck_s,
        "spark": spark_s,
        "load_duckdb": duck_load,
        "load_spark": spark_load,
    }


def plot(rows: list[dict[str, float]], path: Path = PLOT) -> None:
    points = [
        {"records": r["records"], "engine": engine, "seconds": r[engine]}
        for r in rows
        for engine in ("duckdb", "spark")
    ]
    chart = (
        alt.Chart(alt.Data(values=points), title="Batch evaluation: time against records")
        .mark_line(point=True)
        .encode(
            x=alt.X("records:Q", scale=alt.Scale(type="log"), title="records"),
            y=alt.Y("seconds:Q", scale=alt.Scale(type="log"), title="wall time (s)"),
            color=alt.Color("engine:N", title="engine"),
        )
        .properties(width=480, height=320)
    )
    path.write_text(vlc.vegalite_to_svg(chart.to_dict()), encoding="utf-8")


def report(rows: list[dict[str, float]], start_s: float, warm_s: float, warm: int = WARM) -> str:
    lines = [
        f"{machine()}; Spark local[2] (pyspark, Java 17) against DuckDB (2 threads) on the "
        "same snapshots, benchmark policy of bench_batch; one run per size. Load average: "
        "the 1-minute figure, the higher of start and end of each timing.",
        "",
        "| records | assessments | DuckDB s (load) | Spark s (load) | Spark / DuckDB |",
        "| ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        lines.append(
            f"| {int(r['records']):,} | {int(r['rows']):,} | {r['duckdb']:.1f} "
            f"({r['load_duckdb']:.1f}) | {r['spark']:.1f} ({r['load_spark']:.1f}) | "
            f"{r['spark'] / r['duckdb']:.1f}x |"
        )
    lines += [
        "",
        f"Spark session start-up {start_s:.1f} s and a warm-up evaluation of {warm:,} records "
        f"{warm_s:.1f} s, not counted above. Results identical on both engines at every size. "
        "Spark runs the compiled query step by step (a view per step, cached when several "
        "steps read it).",
    ]
    if len(rows) >= 2:
        a, b = rows[0], rows[-1]
        span = b["records"] - a["records"]
        per = {e: (b[e] - a[e]) / span * 1e6 for e in ("duckdb", "spark")}
        fixed = a["spark"] - per["spark"] * a["records"] / 1e6
        lines.append(
            f"From {int(a['records']):,} to {int(b['records']):,} records: Spark's time per "
            f"million records {per['spark']:.0f} s against DuckDB's {per['duckdb']:.0f} s, "
            f"and about {fixed:.0f} s of fixed cost per evaluation (planning and scheduling "
            "some thirty steps) on this machine; time against records, log-log: "
            "benchmarks/scaling.svg."
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("records", nargs="*", type=int, default=list(SIZES))
    parser.add_argument("--warm", type=int, default=WARM, help="records of the warm-up run")
    args = parser.parse_args()
    clock = time.perf_counter()
    session = start_session("local[2]")
    start_s = time.perf_counter() - clock
    try:
        with tempfile.TemporaryDirectory(prefix="bench-spark-") as tmp:
            work = Path(tmp)
            write(work / "warm", args.warm)
            clock = time.perf_counter()
            evaluate_snapshot(work / "warm", bench_policy(), AT, engine="spark", session=session)
            warm_s = time.perf_counter() - clock
            rows = []
            for records in sorted(args.records):
                rows.append(run_size(records, session, work))
                print(rows[-1], flush=True)
    finally:
        stop_session(session)
    write_section(TITLE, report(rows, start_s, warm_s, args.warm))
    # the plot beside the results: with `make bench-quick`'s other file, not over scaling.svg
    other = os.environ.get(RESULTS_ENV)
    plot(rows, Path(other).with_suffix(".svg") if other else PLOT)
    print(report(rows, start_s, warm_s, args.warm))


if __name__ == "__main__":
    main()
