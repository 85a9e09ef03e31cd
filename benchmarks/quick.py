"""`make bench-quick`: every benchmark at small sizes, to catch one that breaks (CI runs it).

Each benchmark runs as its own process (two at a time, the machine's cores) with the
arguments below; what they would write to RESULTS.md goes to a temporary file instead
(``SOCIALCREDIT_BENCH_RESULTS``), since figures at these sizes measure nothing. The run
fails, naming the benchmark and showing the end of its output, when any of them fails or
exceeds its time limit.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.results import RESULTS_ENV

ROOT = Path(__file__).resolve().parent.parent

# module -> arguments at small sizes ({work}: the run's folder, where _demo builds a store)
# (each a few seconds to a minute on the 2-core machine)
QUICK: dict[str, str] = {  # the longest first, so that two at a time end together
    "bench_check": "--listed 2000 --seconds 0.5 --http-seconds 2 --freshness 10",
    "crash": "--trials 1 --persons 1000",
    "bench_resolve": "--city 1000 --persons 10000 --hinted 1000",
    "bench_holds": "--persons 1000 --enterprises 100 --years 1 --runs 1",
    "fuzz_api": "--examples 1 --no-write",
    "bench_officials": "--persons 2000 --enterprises 200 --years 1 --runs 1",
    "bench_resolve_spark": "--persons 5000 --hinted 500",
    "bench_fairness": "--persons 1000",
    "bench_search": "--subjects 5000 --queries 10 --ingest 500",
    "bench_ingest": "--persons 1000 --enterprises 100 --runs 1",
    "bench_judges": "--persons 2000",
    "bench_supervision_scale": "--persons 2000 --enterprises 200 --years 1",
    "bench_batch_scale": "--records 50000 --part 25000",
    "soak": "--seconds 5 --clients 2 --persons 1000 --no-write",
    "verify_batch_parts": "--records 50000 --part 25000",
    "bench_batch": "--records 20000 --runs 1 --pandas-runs 1",
    "bench_portal": "--db {work}/demo/socialcredit.db --clients 2 --seconds 3 --rate 100 --workers 1",
    "bench_risk": "--persons 2000 --enterprises 200 --years 3",
    "bench_simulate": "--demo 1000 --records 10000 --runs 1",
    "bench_assess": "--records 100 --runs 50",
    "bench_spark": "--warm 1000 2000",
    "bench_postgres": "--persons 1000 --enterprises 100 --upload 1000 --runs 1",
}
PG_URLS = ("SOCIALCREDIT_BENCH_POSTGRES", "SOCIALCREDIT_TEST_POSTGRES")


@dataclass
class Outcome:
    name: str
    seconds: float
    code: int
    log: Path

    @property
    def ok(self) -> bool:
        return self.code == 0


def _run(name: str, args: str, work: Path, env: dict[str, str], limit: float) -> Outcome:
    log = work / f"{name}.log"
    argv = args.format(work=work).split()
    started = time.monotonic()
    with log.open("w", encoding="utf-8") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", f"benchmarks.{name}", *argv],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,  # its servers and workers are stopped with it
        )  # fmt: skip
        try:
            code = proc.wait(timeout=limit)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            out.write(f"\n[bench-quick] stopped after {limit:.0f} s\n")
            code = -1
    return Outcome(name, time.monotonic() - started, code, log)


def _demo(work: Path, env: dict[str, str]) -> Outcome:
    """The portal benchmark serves a demo store: a small one, built like `make demo`'s."""
    log = work / "demo.log"
    started = time.monotonic()
    with log.open("w", encoding="utf-8") as out:
        code = subprocess.run(
            [sys.executable, "-m", "socialcredit.demo", "--dir", str(work / "demo"),
             "--persons", "1000", "--enterprises", "100", "--years", "1", "--no-serve"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, timeout=300, check=False,
        ).returncode  # fmt: skip
    return Outcome("demo (for bench_portal)", time.monotonic() - started, code, log)


def _postgres(env: dict[str, str]) -> Any:
    """A throwaway PostgreSQL cluster (the one the test session starts:
    tests/support/pg_cluster.py) whose URL goes to bench_postgres; None without
    PostgreSQL's binaries (bench_postgres then fails, saying so)."""
    sys.path.insert(0, str(ROOT / "tests"))
    from support.pg_cluster import Cluster, find_bindir

    bindir = find_bindir()
    if bindir is None:
        return None
    cluster = Cluster(bindir)
    env["SOCIALCREDIT_BENCH_POSTGRES"] = cluster.start()
    return cluster


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="only these benchmarks (default: all)")
    parser.add_argument("--jobs", type=int, default=2, help="benchmarks run at once")
    parser.add_argument("--limit", type=float, default=240, help="seconds one may take")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.names) - set(QUICK))
    if unknown:
        parser.error(f"no such benchmark: {', '.join(unknown)} (known: {', '.join(QUICK)})")
    names = args.names or list(QUICK)
    absent = [n for n in names if not (ROOT / "benchmarks" / f"{n}.py").exists()]
    if absent:  # a benchmark of a branch not merged yet
        print(f"not in this tree: {', '.join(absent)}")
        names = [n for n in names if n not in absent]
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="bench-quick-") as tmp:
        work = Path(tmp)
        env = {**os.environ, RESULTS_ENV: str(work / "RESULTS.md"), "PYTHONPATH": str(ROOT)}
        outcomes: list[Outcome] = []

        cluster = None
        if "bench_postgres" in names and not any(os.environ.get(v) for v in PG_URLS):
            cluster = _postgres(env)  # the tests' throwaway cluster, for bench_postgres

        def job(name: str) -> list[Outcome]:
            if name == "bench_portal":  # its demo store first, in the same slot
                demo = _demo(work, env)
                if not demo.ok:
                    return [demo]
            return [_run(name, QUICK[name], work, env, args.limit)]

        with ThreadPoolExecutor(max_workers=args.jobs) as pool:
            for done in pool.map(job, names):
                for outcome in done:
                    print(f"{'ok ' if outcome.ok else 'FAIL'} {outcome.name:<26} "
                          f"{outcome.seconds:6.1f} s", flush=True)  # fmt: skip
                    outcomes.append(outcome)
        if cluster is not None:
            cluster.stop()
        failed = [o for o in outcomes if not o.ok]
        for o in failed:
            tail = o.log.read_text(encoding="utf-8", errors="replace").splitlines()[-30:]
            print(f"\n== {o.name} failed (exit {o.code}); the end of its output:")
            print("\n".join(tail))
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"\n{len(outcomes) - len(failed)} of {len(outcomes)} ran in "
        f"{time.monotonic() - started:.0f} s (load average {load}); RESULTS.md left as it was"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
