"""Enforcement checks: `python -m benchmarks.bench_check [--listed N] [--seconds S]`.

Measures, on a store with N listed persons among many more unlisted ones:

* in-process checks/s (`Enforcement.outcome`, one core, decision log on);
* bulk subject-checks/s (`Enforcement.outcomes` over a passenger manifest);
* HTTP single-check latency at a fixed 2,000 requests/s and the throughput
  at saturation, with `hey` (Debian package `hey`) on 127.0.0.1 only;
* freshness: from the start of ingesting a record to another process's check
  seeing it (p99).

Baseline in the same run: a bare Python dict lookup of the same subjects
(the floor any in-process check pays).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from stdnum.cn import ric

from benchmarks.results import machine, median, write_section
from benchmarks.server import free_port
from socialcredit.access.keys import create_key
from socialcredit.clock import FixedClock
from socialcredit.enforcement.service import Enforcement
from socialcredit.ledger.bootstrap import init_store
from socialcredit.services.ingest import ingestor
from socialcredit.settings import Settings
from socialcredit.store.database import Store

ACTION = "transport.air.ticket"


def person(i: int) -> str:
    birth = dt.date(1960, 1, 1) + dt.timedelta(days=i % 12000)
    body = f"110105{birth:%Y%m%d}{i // 12000 % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def restriction(i: int) -> dict[str, Any]:
    ref = f"(2026)京0105执{i}号"
    return {
        "provider": "spc.national",
        "ref": ref,
        "subject": person(i),
        "category": "judicial.consumption_restriction",
        "occurred_at": "2026-01-05",
        "attributes": {"case_no": ref, "amount": 10000.0},
        "legal_basis": "SPC Fa Shi [2015] No. 17",
    }


def build(root: Path, listed: int) -> Store:
    settings = Settings(db=f"sqlite:///{root / 'bench.db'}")
    store = Store(settings.db, clock=FixedClock("2026-03-02T02:00:00"))
    init_store(store, settings)
    ingestor(store).ingest_dicts(restriction(i) for i in range(listed))
    return store


def in_process(store: Store, subjects: list[str], seconds: float) -> tuple[float, float, float]:
    service = Enforcement(store)
    index = service.cache.rows
    n = len(subjects)
    started, done = time.perf_counter(), 0
    while time.perf_counter() - started < seconds:
        for s in subjects:
            service.outcome(s, ACTION)
        done += n
    rate = done / (time.perf_counter() - started)
    started, done = time.perf_counter(), 0
    while time.perf_counter() - started < seconds:
        for s in subjects:
            index.get(s)
        done += n
    bare = done / (time.perf_counter() - started)
    manifest = subjects * 10
    started, done = time.perf_counter(), 0
    while time.perf_counter() - started < seconds:
        service.outcomes(manifest, ACTION)
        done += len(manifest)
    bulk = done / (time.perf_counter() - started)
    service.close()
    return rate, bare, bulk


def _hey(url: str, token: str, body: str, args: list[str]) -> dict[str, float]:
    out = subprocess.run(
        [
            "hey",
            *args,
            "-m",
            "POST",
            "-T",
            "application/json",
            "-H",
            f"Authorization: Bearer {token}",
            "-d",
            body,
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    stats: dict[str, float] = {}
    if m := re.search(r"Requests/sec:\s+([\d.]+)", out):
        stats["rps"] = float(m.group(1))
    for pct in ("50", "99"):
        if m := re.search(rf"\s{pct}% in ([\d.]+) secs", out):
            stats[f"p{pct}"] = float(m.group(1)) * 1000
    if "p50" not in stats:  # no response in time: say what hey saw, not a KeyError later
        raise RuntimeError(f"hey {' '.join(args)}: no latency measured\n{out[-1500:]}")
    if m := re.search(r"\[200\]\s+(\d+) responses", out):
        stats["ok"] = float(m.group(1))
    return stats


VARIANTS = {  # what answers the checks: the uvicorn factory and SOCIALCREDIT_BENCH_LANE
    "lane": ("benchmarks.bench_app:app", "1"),
    "route": ("benchmarks.bench_app:app", "0"),
    "bare": ("benchmarks.bench_app:bare", "0"),
}


def http(
    store: Store, subject: str, seconds: int, *, variant: str, runs: int = 3
) -> dict[str, float]:
    """Medians of `runs` fixed-rate runs (2,000 req/s) and one saturated run
    against two uvicorn workers: the check lane, the FastAPI route only, or a bare
    ASGI endpoint answering a constant body (the floor of uvicorn and `hey`)."""
    factory, lane = VARIANTS[variant]
    # the benchmark measures the service, not the limit: the key may make as many as it can
    _key, token = create_key(store, "bench", [ACTION], rate=100_000)
    port = free_port()
    env = {
        **os.environ,
        "SOCIALCREDIT_DB": store.url,
        "SOCIALCREDIT_BENCH_LANE": lane,
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            factory,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
            "--workers",
            "2",
        ],
        env=env,
        start_new_session=True,  # its own process group: the workers go with it (below)
    )
    try:
        url = f"http://127.0.0.1:{port}/v1/checks"
        for _ in range(300):  # up to 30 s: two workers start slowly on a loaded machine
            if server.poll() is not None:
                raise RuntimeError(f"uvicorn ({variant}) exited with code {server.returncode}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError(f"uvicorn ({variant}) is not listening on {port} after 30 s")
        body = json.dumps({"subject": subject, "action": ACTION})
        _hey(url, token, body, ["-n", "500", "-c", "4"])  # warm up
        loads, fixed = [], []
        for _ in range(runs):
            fixed.append(_hey(url, token, body, ["-z", f"{seconds}s", "-c", "20", "-q", "100"]))
            loads.append(os.getloadavg()[0])
        saturated = _hey(url, token, body, ["-z", f"{seconds}s", "-c", "32"])
    finally:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:  # workers still starting on a loaded machine
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    return {
        "rps": median([f["rps"] for f in fixed]),
        "p50": median([f["p50"] for f in fixed]),
        "p99": median([f["p99"] for f in fixed]),
        "p99_max": max(f["p99"] for f in fixed),
        "p99_min": min(f["p99"] for f in fixed),
        "load": median(loads),
        "sat_rps": saturated["rps"],
        "sat_p99": saturated["p99"],
    }


def freshness(store: Store, samples: int) -> list[float]:
    watcher = Enforcement(store)  # stands for the relying party's long-running service
    feed = ingestor(store)
    delays = []
    for i in range(samples):
        rec = restriction(900_000 + i)
        started = time.perf_counter()
        feed.ingest_dicts([rec])
        while watcher.outcome(rec["subject"], ACTION) != "deny":
            time.sleep(0.0005)
        delays.append((time.perf_counter() - started) * 1000)
    watcher.close()
    return delays


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--listed", type=int, default=20_000)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--http-seconds", type=int, default=10)
    parser.add_argument("--freshness", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        print(f"building a store with {args.listed:,} listed persons …")
        store = build(root, args.listed)
        rng = random.Random(7)
        # one check in a hundred is about a listed person (about 7.5 M listed of 1.4 bn)
        subjects = [
            person(rng.randrange(args.listed))
            if rng.random() < 0.01
            else person(args.listed + rng.randrange(10 * args.listed))
            for _ in range(20_000)
        ]
        runs = [in_process(store, subjects, args.seconds) for _ in range(3)]
        rate, bare, bulk = (median([r[i] for r in runs]) for i in range(3))
        print(f"in-process {rate:,.0f}/s (bare dict {bare:,.0f}/s), bulk {bulk:,.0f}/s")
        web: dict[str, dict[str, float]] = {}
        if shutil.which("hey"):
            for variant in VARIANTS:
                web[variant] = http(store, person(1), args.http_seconds, variant=variant)
                print(f"http ({variant}) {web[variant]}")
        delays = sorted(freshness(store, args.freshness))
        p50 = delays[len(delays) // 2]
        p99 = delays[min(len(delays) - 1, int(len(delays) * 0.99))]
        print(f"freshness p50 {p50:.1f} ms, p99 {p99:.1f} ms")
        store.close()
    http_rows, http_note = "| HTTP | not measured: install Debian's `hey` | — |", ""
    if web:
        lane, route, floor = web["lane"], web["route"], web["bare"]
        http_rows = (
            f"| HTTP single check at a fixed 2,000 req/s (`hey -c 20 -q 100`): p50 / p99 | "
            f"{lane['p50']:.1f} ms / {lane['p99']:.1f} ms (achieved {lane['rps']:,.0f} req/s) | "
            f"p99 <= 1.5x the bare endpoint's: {lane['p99'] / floor['p99']:.1f}x |\n"
            f"| baseline: a bare ASGI endpoint answering a constant body: p50 / p99 | "
            f"{floor['p50']:.1f} ms / {floor['p99']:.1f} ms (achieved {floor['rps']:,.0f} req/s) | — |\n"
            f"| baseline: the same check through the FastAPI route alone (no lane): p50 / p99 | "
            f"{route['p50']:.1f} ms / {route['p99']:.1f} ms (achieved {route['rps']:,.0f} req/s) | — |\n"
            f"| HTTP throughput at saturation (`hey -c 32`), lane / route alone / bare | "
            f"{lane['sat_rps']:,.0f} / {route['sat_rps']:,.0f} / {floor['sat_rps']:,.0f} req/s | — |"
        )
        http_note = (
            f"HTTP: two uvicorn workers and `hey` on the same 2 cores; medians of 3 runs of "
            f"{args.http_seconds} s at the fixed rate (lane p99 per run between {lane['p99_min']:.1f} and "
            f"{lane['p99_max']:.1f} ms; 1-minute load average about {lane['load']:.1f}). The check lane "
            f"(`web/check_lane.py`) cuts p99 {route['p99'] / lane['p99']:.1f}x against the route alone "
            f"and serves {lane['sat_rps'] / route['sat_rps']:.1f}x the requests at saturation.\n"
        )
    write_section(
        "Enforcement checks (`python -m benchmarks.bench_check`)",
        f"""
{args.listed:,} persons on the high-consumption list (notice 0), checks on
`{ACTION}` where one subject in a hundred is listed; in-process figures are medians
of 3 runs of {args.seconds:g} s on one core with the decision log on; {machine()}.

| measure | result | target |
| --- | ---: | ---: |
| in-process checks/s (`Enforcement.outcome`) | {rate:,.0f} | >= 200,000 |
| baseline: bare dict lookup of the same subjects | {bare:,.0f} | — |
| bulk subject-checks/s (`Enforcement.outcomes`, manifests of 200,000) | {bulk:,.0f} | >= 1,000,000 |
{http_rows}
| freshness, ingest start to another service's check seeing it: p50 / p99 | {p50:.1f} ms / {p99:.1f} ms | p99 <= 50 ms |

In-process checks cost {bare / rate:.1f}x a bare dict lookup (the index lookup, the date
window, the outcome precedence, and counting/sampling for the decision log).
{http_note}""",
    )


if __name__ == "__main__":
    main()
