"""Batch evaluation at scale: `python -m benchmarks.bench_batch_scale [--records 100000000]`.

A snapshot of ``--records`` records is generated part by part (benchmarks/batch_data.py,
bounded memory), then the benchmark policy (benchmarks/batch_policy.py) is evaluated by
the compiled batch engine (``evaluate_snapshot``: DuckDB, 2 threads, the default memory
limit) and by the hand-written DuckDB query (benchmarks/batch_handwritten.sql), each in a
child process of its own, so that the wall time, CPU time (user + sys) and peak resident
memory measured are that evaluation's alone. Each child writes its assessments to a
Parquet file; DuckDB then checks that the two are identical (``EXCEPT ALL`` both ways).
The parent process imports nothing heavy, so that the children's peak memory does not
include a copy of its own. One run; the section goes to benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from benchmarks.results import machine, write_section

ROOT = Path(__file__).resolve().parent.parent
TITLE = "Batch evaluation at scale (`python -m benchmarks.bench_batch_scale`)"
PEAK_TARGET = 8 * 10**9  # bytes: 8 GB
SPARE_DISK = 10 * 10**9  # bytes the hand-written query leaves free on the disk it spills to
GIB = 2**30
RECORDS = 100_000_000
PART = 5_000_000  # benchmarks.batch_data.PART, not imported here to keep this process small
HANDWRITTEN = Path(__file__).with_name("batch_handwritten.sql")


class _Monitor:
    """Every few seconds while the benchmark runs: the 1-minute load average, and the
    disk space the files under ``watch`` take (a child's spill folder)."""

    def __init__(self, every: float = 5.0) -> None:
        self.every = every
        self.load: list[float] = []
        self.disk: list[int] = []
        self.watch: Path | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while True:
            self.load.append(os.getloadavg()[0])
            self.disk.append(_disk_usage(self.watch) if self.watch is not None else 0)
            if self._stop.wait(self.every):
                return

    def __enter__(self) -> _Monitor:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _disk_usage(folder: Path) -> int:
    total = 0
    for root, _, files in os.walk(folder):
        for name in files:
            with contextlib.suppress(FileNotFoundError):  # deleted meanwhile
                total += os.stat(os.path.join(root, name)).st_blocks * 512
    return total


def _child(
    task: str, work: Path, *args: str, tmp: Path | None = None, may_fail: bool = False
) -> dict[str, Any]:
    """Run ``task`` in a child Python process (with ``tmp`` as its TMPDIR); its report, with
    its CPU seconds (user + sys) and peak RSS (bytes) as the kernel accounts them for that
    child alone. A child that fails reports ``error`` when it ``may_fail``."""
    report = work / f"{task}.json"
    cmd = [sys.executable, "-m", "benchmarks.bench_batch_scale", "--child", task]
    env = os.environ | ({"TMPDIR": str(tmp)} if tmp is not None else {})
    proc = subprocess.Popen([*cmd, "--report", str(report), *args], cwd=ROOT, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    out: dict[str, Any] = json.loads(report.read_text(encoding="utf-8")) if report.exists() else {}
    if proc.returncode != 0:
        if proc.returncode < 0:
            out["error"] = f"killed by signal {-proc.returncode}"
        out.setdefault("error", f"exit status {proc.returncode}")
        if not may_fail:
            raise SystemExit(f"{task} failed: {out['error']}")
    out["child_cpu"] = usage.ru_utime + usage.ru_stime
    out["peak_rss"] = usage.ru_maxrss * 1024  # KiB on Linux
    return out


# --- the children's tasks (heavy imports inside) ------------------------------------------


def _generate(report: Path, folder: Path, records: int, part: int) -> None:
    from benchmarks import batch_data

    started = time.perf_counter()
    snap = batch_data.write(folder, records, part=part)
    seconds = time.perf_counter() - started
    size = sum(f.stat().st_size for f in folder.glob("*.parquet"))
    out = {
        "records": snap.records,
        "subjects": snap.subjects,
        "record_links": snap.record_links,
        "parts": len(batch_data.parts(records, part)),
        "bytes": size,
        "wall": seconds,
    }
    report.write_text(json.dumps(out), encoding="utf-8")


def _evaluate(task: str, report: Path, folder: Path, out: Path) -> None:
    import pyarrow.parquet as pq

    from benchmarks import batch_data
    from benchmarks.batch_policy import bench_policy
    from socialcredit.engine.batch import evaluate_snapshot
    from socialcredit.engine.batch.adapters.duckdb_execute import connect, run_query
    from socialcredit.engine.batch.run import summarise

    at = batch_data.AT
    if task == "compiled":
        policy = bench_policy()
        wall, cpu = time.perf_counter(), time.process_time()
        table = evaluate_snapshot(folder, policy, at)
    else:
        sql = HANDWRITTEN.read_text(encoding="utf-8").format(
            records=folder / "records.parquet",
            subjects=folder / "subjects.parquet",
            day=batch_data.END.isoformat(),
            known_at=at.isoformat(sep=" "),
        )
        wall, cpu = time.perf_counter(), time.process_time()
        with tempfile.TemporaryDirectory() as spill:
            con = connect(spill_to=spill)
            # on a shared disk, stop rather than fill it (DuckDB's own limit: 90% of it)
            free = shutil.disk_usage(spill).free
            con.execute(f"SET max_temp_directory_size = '{max(10**9, free - SPARE_DISK)}B'")
            try:
                table = run_query(con, sql)
            finally:
                con.close()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    evaluated_peak = _peak_rss()
    pq.write_table(table, out, compression="zstd")
    summary = summarise(table)
    print(f"{task}: {json.dumps(summary)}", flush=True)
    result = {"wall": wall, "cpu": cpu, "evaluated_peak": evaluated_peak, "summary": summary}
    report.write_text(json.dumps(result), encoding="utf-8")


def _peak_rss() -> int:
    """This process's peak resident memory so far, in bytes (VmHWM; Linux)."""
    for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0  # pragma: no cover - not Linux


def _compare(report: Path, a: Path, b: Path) -> None:
    """Rows of ``a`` not in ``b`` and of ``b`` not in ``a`` (as multisets), in DuckDB."""
    from socialcredit.engine.batch import SCORE_COLUMNS
    from socialcredit.engine.batch.adapters.duckdb_execute import connect

    # the same types on both sides: whole units as BIGINT, the rest as text
    cols = ", ".join(
        f"CAST({c} AS BIGINT)" if c.endswith("_units") else f"CAST({c} AS VARCHAR)"
        for c in SCORE_COLUMNS
    )
    with tempfile.TemporaryDirectory(dir=a.parent) as spill:
        con = connect(spill_to=spill)
        try:

            def count(sql: str) -> int:
                return int(con.sql(sql).fetchall()[0][0])

            def only(x: Path, y: Path) -> int:
                return count(
                    f"SELECT count(*) FROM (SELECT {cols} FROM read_parquet('{x}') "
                    f"EXCEPT ALL SELECT {cols} FROM read_parquet('{y}'))"
                )

            out = {
                "rows_a": count(f"SELECT count(*) FROM read_parquet('{a}')"),
                "rows_b": count(f"SELECT count(*) FROM read_parquet('{b}')"),
                "only_a": only(a, b),
                "only_b": only(b, a),
            }
        finally:
            con.close()
    report.write_text(json.dumps(out), encoding="utf-8")


def _run_child(args: argparse.Namespace) -> None:
    report = Path(args.report)
    try:
        if args.child == "generate":
            _generate(report, Path(args.folder), args.records, args.part)
        elif args.child in ("compiled", "handwritten"):
            _evaluate(args.child, report, Path(args.folder), Path(args.out))
        elif args.child == "compare":
            _compare(report, Path(args.a), Path(args.b))
        else:
            raise ValueError(f"unknown task {args.child!r}")
    except Exception as exc:
        error = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
        report.write_text(json.dumps({"error": error}), encoding="utf-8")
        raise


# --- the benchmark -------------------------------------------------------------------------


def run(records: int, part: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-batch-scale-") as tmp, _Monitor() as monitor:
        work = Path(tmp)
        folder = work / "ledger"
        before = os.getloadavg()[0]
        sizes = ("--records", str(records), "--part", str(part))
        gen = _child("generate", work, "--folder", str(folder), *sizes)
        print(
            f"{gen['records']:,} records, {gen['subjects']:,} subjects in {gen['parts']} parts "
            f"({gen['bytes'] / GIB:.2f} GiB of Parquet): {gen['wall']:.1f} s to generate, "
            f"peak RSS {gen['peak_rss'] / GIB:.2f} GiB",
            flush=True,
        )
        runs = {}
        for task in ("compiled", "handwritten"):
            out, spill = work / f"{task}.parquet", work / f"tmp-{task}"
            spill.mkdir()
            first, monitor.watch = len(monitor.load), spill
            r = _child(
                task, work, "--folder", str(folder), "--out", str(out), tmp=spill, may_fail=True
            )
            monitor.watch = None
            r["load"] = monitor.load[first:] or [os.getloadavg()[0]]
            r["spill"] = max(monitor.disk[first:], default=0)
            runs[task] = r
            done = (
                f"{r['wall']:.1f} s (cpu {r['cpu']:.1f} s; child cpu {r['child_cpu']:.1f} s)"
                if "error" not in r
                else f"FAILED ({r['error']}) after child cpu {r['child_cpu']:.1f} s"
            )
            print(
                f"  {task}: {done}, peak RSS {r['peak_rss'] / GIB:.2f} GiB, "
                f"spilled up to {r['spill'] / GIB:.1f} GiB",
                flush=True,
            )
        cmp: dict[str, Any] = {}
        identical = None
        if not any("error" in r for r in runs.values()):
            a, b = work / "compiled.parquet", work / "handwritten.parquet"
            cmp = _child("compare", work, "--a", str(a), "--b", str(b))
            identical = (
                cmp["rows_a"] == cmp["rows_b"] == runs["compiled"]["summary"]["rows"]
                and cmp["only_a"] == 0
                and cmp["only_b"] == 0
                and runs["compiled"]["summary"] == runs["handwritten"]["summary"]
            )
    print(f"  identical results: {identical} ({json.dumps(cmp)})")
    for task, r in runs.items():
        if "summary" in r:
            print(f"{task}: {json.dumps(r['summary'], indent=2)}")
    return {"generate": gen, "runs": runs, "compare": cmp, "identical": identical,
            "load_before": before}  # fmt: skip


def report(result: dict[str, Any], budget: str) -> str:
    gen, ours, hand = result["generate"], result["runs"]["compiled"], result["runs"]["handwritten"]
    names = {"compiled": "the compiled engine", "handwritten": "(a)"}
    failed = [names[task] for task, r in result["runs"].items() if "error" in r]

    def row(name: str, r: dict[str, Any]) -> str:
        load = f"{statistics.median(r['load']):.2f} ({max(r['load']):.2f})"
        peak = f"{r['peak_rss'] / GIB:.2f} ({r['peak_rss'] / 1e9:.2f} GB)"
        if "error" in r:
            return (
                f"| {name} | did not finish: {r['error']} | — | {r['child_cpu']:.1f} | {peak} "
                f"| — | {r['spill'] / GIB:.1f} | {load} |"
            )
        return (
            f"| {name} | {r['wall']:.1f} | {r['cpu']:.1f} | {r['child_cpu']:.1f} | {peak} | "
            f"{r['evaluated_peak'] / GIB:.2f} | {r['spill'] / GIB:.1f} | {load} |"
        )

    if result["identical"]:
        same = "The two give identical assessments, to the unit."
    elif result["identical"] is None:
        same = f"No comparison: {' and '.join(failed)} did not finish."
    else:
        same = f"The two give assessments that are NOT identical: {json.dumps(result['compare'])}."
    peak = ours["peak_rss"]
    if "error" in ours:
        target = f"NOT met (it did not finish; peak {peak / 1e9:.2f} GB)"
    else:
        target = f"{'met' if peak < PEAK_TARGET else 'NOT met'} ({peak / 1e9:.2f} GB)"
    ratios = ""
    if not failed:
        ratios = (
            f"Compiled / (a): {ours['wall'] / hand['wall']:.2f}x by wall time, "
            f"{ours['cpu'] / hand['cpu']:.2f}x by CPU time, "
            f"{peak / hand['peak_rss']:.2f}x by peak memory. "
        )
    outcome = f"{ratios}Target: the compiled engine's peak memory under 8 GB — {target}."
    summary = next((r["summary"] for r in (ours, hand) if "summary" in r), None)
    grades = ""
    if summary is not None:
        rows = "\n".join(
            f"| {scheme} | "
            + " | ".join(f"{summary['grades'].get(scheme, {}).get(g, 0):,}" for g in GRADES)
            + f" | {summary['no_consent'].get(scheme, 0):,} |"
            for scheme in sorted(set(summary["grades"]) | set(summary["no_consent"]))
        )
        grades = f"""
{summary["rows"]:,} assessments of {summary["subjects"]:,} subjects; scored subjects per
grade, and subjects not scored for lack of consent:

| scheme | {" | ".join(GRADES)} | no consent |
| --- | {" | ".join("---:" for _ in GRADES)} | ---: |
{rows}
"""
    return f"""
The benchmark policy (see "Batch evaluation" above) over one generated snapshot of
{gen["records"]:,} records ({gen["subjects"]:,} subjects, {gen["record_links"]:,} role links;
`benchmarks/batch_data.py` in {gen["parts"]} parts of at most {result["part"]:,} records,
each a population of its own; {gen["bytes"] / GIB:.2f} GiB of zstd Parquet), generated in
{gen["wall"]:.0f} s with a peak RSS of {gen["peak_rss"] / GIB:.2f} GiB. The compiled engine
and (a) the hand-written DuckDB query each ran once, one after the other, in a child process
of their own: DuckDB with 2 threads and a memory budget of {budget}, spilling to a temporary
folder. Wall-clock seconds of the evaluation and its CPU seconds (all threads); the child's
CPU seconds (user + sys, with starting Python, writing the assessments to Parquet and
summarising them); the child's peak resident memory (`ru_maxrss`), and as it stood at the
end of the evaluation, before the result was written out; the most disk the spilled data
took; the 1-minute load average while it ran, median (highest), of which the evaluation
itself is up to 2 (before the run: {result["load_before"]:.2f}); {machine()}. {same}

| implementation | wall, s | cpu, s | child cpu, s | peak RSS, GiB | at end of evaluation, GiB | spilled, GiB | load |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
{row("compiled engine", ours)}
{row("(a) hand-written SQL", hand)}

{outcome}
{grades}"""


GRADES = ("AAA", "AA", "A", "B", "C", "D")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=RECORDS)
    parser.add_argument("--part", type=int, default=PART, help="records per generated part")
    parser.add_argument("--no-write", action="store_true", help="do not update RESULTS.md")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    for name in ("--report", "--folder", "--out", "--a", "--b"):
        parser.add_argument(name, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _run_child(args)
        return
    result = run(args.records, args.part) | {"part": args.part}
    if not args.no_write:
        write_section(TITLE, report(result, _budget()))


def _budget() -> str:
    from socialcredit.engine.batch.adapters.duckdb_execute import (
        default_memory_limit,
        duckdb_memory_limit,
    )

    budget = default_memory_limit()
    return f"{budget} (DuckDB's own limit {duckdb_memory_limit(budget)})"


if __name__ == "__main__":
    main()
