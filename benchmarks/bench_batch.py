"""Batch evaluation: `python -m benchmarks.bench_batch [--records 1000000 ...]`.

For each ledger size a Parquet snapshot is generated (benchmarks/batch_data.py) and the
benchmark policy (benchmarks/batch_policy.py) is evaluated three ways, in the same run,
on the same data: the compiled batch engine (``evaluate_snapshot``: compile with sqlglot,
run on DuckDB with 2 threads), (a) one hand-written DuckDB query computing the same
scores (benchmarks/batch_handwritten.sql), and (b) a pandas implementation of the same
rules (benchmarks/batch_pandas.py); with ``--zen`` (default: at 1 M records or fewer) also
(c) the rules as a decision table in zen-engine, evaluated per record, with the aggregation
around it in pandas (benchmarks/batch_zen.py; skipped when zen-engine is not installed).
All must give identical assessments, to the unit; the medians of several runs and their
ratios go to benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyarrow as pa

from benchmarks import batch_data, batch_pandas, batch_zen
from benchmarks.batch_policy import bench_policy
from benchmarks.results import machine, median, write_section
from socialcredit.engine.batch import SCORE_COLUMNS, evaluate_snapshot
from socialcredit.engine.batch.adapters.duckdb_execute import (
    connect,
    default_memory_limit,
    duckdb_memory_limit,
    run_query,
)

AT = dt.datetime.combine(batch_data.END, dt.time(4))  # noon in Beijing
HANDWRITTEN = Path(__file__).with_name("batch_handwritten.sql")


def compiled(folder: Path) -> pa.Table:
    return evaluate_snapshot(folder, bench_policy(), AT)


def handwritten(folder: Path) -> pa.Table:
    sql = HANDWRITTEN.read_text(encoding="utf-8").format(
        records=folder / "records.parquet",
        subjects=folder / "subjects.parquet",
        day=batch_data.END.isoformat(),
        known_at=AT.isoformat(sep=" "),
    )
    with tempfile.TemporaryDirectory(dir=folder) as spill:
        con = connect(spill_to=spill)
        try:
            return run_query(con, sql)
        finally:
            con.close()


def with_pandas(folder: Path) -> pd.DataFrame:
    return batch_pandas.evaluate(folder, batch_data.END, AT)


def with_zen(folder: Path) -> pd.DataFrame:
    return batch_zen.evaluate(folder, batch_data.END, AT)


def _frame(result: pa.Table | pd.DataFrame) -> pd.DataFrame:
    df = result.to_pandas() if isinstance(result, pa.Table) else result
    df = df[list(SCORE_COLUMNS)].sort_values(["subject", "scheme"]).reset_index(drop=True)
    df["score_units"] = df["score_units"].astype("Int64")
    for name in SCORE_COLUMNS[4:8]:
        df[name] = df[name].astype("int64")
    df["grade"] = df["grade"].astype(object).where(df["grade"].notna(), None)
    return df


class _Timer:
    """Wall and CPU seconds (all threads) of each run of one implementation."""

    def __init__(self, name: str, fn: Callable[[Path], object]) -> None:
        self.name, self.fn = name, fn
        self.wall: list[float] = []
        self.cpu: list[float] = []
        self.result: object = None

    def run(self, folder: Path) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        self.result = self.fn(folder)
        self.wall.append(time.perf_counter() - wall)
        self.cpu.append(time.process_time() - cpu)
        print(f"  {self.name}: {self.wall[-1]:.2f} s (cpu {self.cpu[-1]:.2f} s)")


def run_size(records: int, runs: int, pandas_runs: int, zen: bool, work: Path) -> dict[str, float]:
    folder = work / f"ledger-{records}"
    started = time.perf_counter()
    snap = batch_data.write(folder, records)
    generated = time.perf_counter() - started
    print(f"{snap.records:,} records, {snap.subjects:,} subjects ({generated:.1f} s to generate)")
    timers = _Timer("compiled batch engine", compiled), _Timer("hand-written SQL", handwritten)
    for _ in range(runs):  # interleaved, so that a busy spell on the machine hits both
        for timer in timers:
            timer.run(folder)
    ours, hand = (median(t.wall) for t in timers)
    ours_result, hand_result = (t.result for t in timers)
    pandas_timer = _Timer("pandas", with_pandas)
    for _ in range(pandas_runs):
        pandas_timer.run(folder)
    panda, panda_result = median(pandas_timer.wall), pandas_timer.result
    expected = _frame(ours_result)  # type: ignore[arg-type]
    pd.testing.assert_frame_equal(expected, _frame(hand_result))  # type: ignore[arg-type]
    pd.testing.assert_frame_equal(expected, _frame(panda_result))  # type: ignore[arg-type]
    print(f"  identical results: {len(expected):,} assessments")
    extra: dict[str, float] = {}
    if zen:
        zen_timer = _Timer("zen-engine, per record", with_zen)
        zen_timer.run(folder)
        agree = _agreement(expected, _frame(zen_timer.result))  # type: ignore[arg-type]
        print(f"  zen-engine: {agree:.4%} identical, {zen_timer.wall[-1] / ours:.1f}x the compiled")
        extra = {"zen": zen_timer.wall[-1], "zen_cpu": zen_timer.cpu[-1], "zen_agree": agree}
    return extra | {
        "records": snap.records,
        "subjects": snap.subjects,
        "rows": len(expected),
        "ours": ours,
        "hand": hand,
        "pandas": panda,
        "ours_cpu": median(timers[0].cpu),
        "hand_cpu": median(timers[1].cpu),
    }


def _agreement(expected: pd.DataFrame, other: pd.DataFrame) -> float:
    """Share of assessments identical in every column; prints the first that differ.
    zen-engine computes in exact decimals where the policy says DOUBLE (``-0.0002 *
    amount``), so a contribution on a rounding edge can come out one unit apart."""
    if list(expected[["subject", "scheme"]].itertuples(index=False)) != list(
        other[["subject", "scheme"]].itertuples(index=False)
    ):
        return 0.0
    same = (expected.fillna(-1) == other.fillna(-1)).all(axis=1)
    if not same.all():
        diff = expected[~same].merge(other[~same], on=["subject", "scheme"], suffixes=("", "_c"))
        print(diff.head().to_string())
    return float(same.mean())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pandas-runs", type=int, default=1)
    parser.add_argument(
        "--zen",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="baseline (c), zen-engine per record, one run (default: at <= 1,000,000 records)",
    )
    parser.add_argument("--no-write", action="store_true", help="do not update RESULTS.md")
    args = parser.parse_args()
    if args.zen is not False and not batch_zen.available():
        print("zen-engine is not installed (pip install zen-engine): skipping baseline (c)")
        args.zen = False
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        rows = [
            run_size(
                n,
                args.runs,
                args.pandas_runs,
                n <= 1_000_000 if args.zen is None else args.zen,
                Path(tmp),
            )
            for n in args.records
        ]
    if not args.no_write:
        write_section("Batch evaluation (`python -m benchmarks.bench_batch`)", _report(rows, args))


def _report(rows: list[dict[str, float]], args: argparse.Namespace) -> str:
    table = "\n".join(
        f"| {r['records']:,} | {r['subjects']:,} | {r['ours']:.2f} ({r['ours_cpu']:.1f}) | "
        f"{r['hand']:.2f} ({r['hand_cpu']:.1f}) | {r['pandas']:.2f} | "
        f"{r['ours'] / r['hand']:.2f}x ({r['ours_cpu'] / r['hand_cpu']:.2f}x) | "
        f"{r['pandas'] / r['ours']:.1f}x | "
        + (f"{r['zen']:.2f} ({r['zen_cpu']:.1f}) | {r['zen'] / r['ours']:.1f}x |" if "zen" in r
           else "— | — |")
        for r in rows
    )  # fmt: skip
    growth = ""
    if len(rows) > 1:
        a, b = rows[0], rows[-1]
        growth = (
            f"From {a['records']:,} to {b['records']:,} records "
            f"({b['records'] / a['records']:.0f}x) the compiled engine's time grew "
            f"{b['ours'] / a['ours']:.1f}x (cpu {b['ours_cpu'] / a['ours_cpu']:.1f}x), the "
            f"hand-written query's {b['hand'] / a['hand']:.1f}x "
            f"(cpu {b['hand_cpu'] / a['hand_cpu']:.1f}x), pandas' "
            f"{b['pandas'] / a['pandas']:.1f}x."
        )
    worst_hand = max(r["ours"] / r["hand"] for r in rows)
    worst_pandas = min(r["pandas"] / r["ours"] for r in rows)
    zen_rows = [r for r in rows if "zen" in r]
    agree = min((r["zen_agree"] for r in zen_rows), default=1.0)
    zen_agree = (
        "too, to the unit."
        if agree == 1
        else f"agrees on {agree:.4%} of the assessments (worst size): zen-engine computes "
        "`-0.0002 * amount` in exact decimals where the policy says DOUBLE, so a contribution "
        "on a rounding edge can come out one unit apart."
    )
    zen_target = "not measured in this run (`--zen`; needs `pip install zen-engine`)."
    if zen_rows:
        worst_zen = min(r["zen"] / r["ours"] for r in zen_rows)
        zen_target = f"{'met' if worst_zen >= 10 else 'NOT met'} (worst {worst_zen:.1f}x, one run)."
    near_hand = "met" if worst_hand <= 1.3 else "NOT met"
    beats_pandas = "met" if worst_pandas >= 3 else "NOT met"
    return f"""
The benchmark policy (`benchmarks/batch_policy.py`: 11 rules in two schemes, with
predicates, `per`, `ended_by`, a sector minimum, decay, repeats, a grade cap, roles and
consent) over generated Parquet snapshots (`benchmarks/batch_data.py`: a city's category
mix, about 8 records per person, 1% corrections and 0.5% withdrawals). DuckDB with 2
threads and a memory budget of {default_memory_limit()} (DuckDB's own limit
{duckdb_memory_limit(default_memory_limit())}); wall-clock medians of {args.runs}
runs, the two DuckDB queries interleaved ({args.pandas_runs} for pandas), CPU seconds of all
threads in brackets (steadier than wall time when the machine is shared); {machine()}.
(c) is the kind of tool a team would otherwise pick: the rules as a decision table in
zen-engine (GoRules' business rules engine, Rust core, `benchmarks/batch_zen.py`), each
effective record evaluated on its own with `ZenDecision.evaluate`, and what a per-record
engine cannot do (end days, roles, one act once, repeats, decay, sums, consent, caps) in
pandas around it; one run, where measured. (a) and (b) give identical assessments to the
compiled engine's, to the unit; (c) {zen_agree}

| records | subjects | compiled engine, s (cpu) | (a) hand-written SQL, s (cpu) | (b) pandas, s | compiled / (a) (cpu) | (b) / compiled | (c) zen-engine, s (cpu) | (c) / compiled |
| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
{table}

Targets: within 1.3x of the hand-written query — {near_hand} (worst {worst_hand:.2f}x);
at least 3x faster than pandas — {beats_pandas} (worst {worst_pandas:.1f}x);
at least 10x faster than zen-engine per record — {zen_target}

{growth} The compiled engine's time includes compiling the policy with sqlglot (about
0.1 s) and opening DuckDB; the snapshot export from the store is not timed here.
"""


if __name__ == "__main__":
    main()
