"""Portal pages under concurrent load: `python -m benchmarks.bench_portal [--db demo/socialcredit.db]`.

On a copy of the demo store (``make demo`` first), ``socialcredit serve`` answers
``--clients`` concurrent clients (default 20) for ``--seconds`` per phase:

* baseline: ``GET /v1/health`` (the bare endpoint: the server's own floor);
* ``GET /subjects/{ref}``: the public page of a random listed subject;
* ``GET /me``: the demo resident's own page (logged in).

Prints and writes to benchmarks/RESULTS.md p50/p95 per phase and the ratio of
each page's p95 to the baseline's. Target: p95 <= 100 ms for both pages.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

from benchmarks.results import machine, write_section


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _refs(db: str) -> list[str]:
    from sqlalchemy import text

    from socialcredit.clock import day_of
    from socialcredit.store.database import Store
    from socialcredit.store.public_refs import refs_of

    store = Store(db)
    try:
        with store.writer() as conn:
            today = day_of(store.clock.now()).isoformat()
            codes = [
                r[0]
                for r in conn.execute(
                    text(
                        "SELECT DISTINCT subject FROM list_entries WHERE effective_from <= :d "
                        "AND (ends_on IS NULL OR ends_on > :d) LIMIT 500"
                    ),
                    {"d": today},
                )
            ]
            return list(refs_of(conn, codes).values())
    finally:
        store.close()


def _phase(url: str, clients: int, seconds: float, cookies: dict[str, str]) -> list[float]:
    latencies: list[float] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(n: int) -> None:
        rng = random.Random(n)
        mine: list[float] = []
        with httpx.Client(cookies=cookies, timeout=30) as http:
            while time.monotonic() < deadline:
                target = url.format(ref=rng.choice(REFS)) if "{ref}" in url else url
                started = time.perf_counter()
                r = http.get(target)
                mine.append(time.perf_counter() - started)
                assert r.status_code == 200, (target, r.status_code, r.text[:200])
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies


REFS: list[str] = []


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default="demo/socialcredit.db")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="bench-portal-"))
    shutil.copy(args.db, folder / "store.db")
    db = f"sqlite:///{folder / 'store.db'}"
    REFS.extend(_refs(db))
    port = _free_port()
    env = {
        **os.environ,
        "SOCIALCREDIT_DB": db,
        "SOCIALCREDIT_PUBLIC_RATE_LIMIT": "100000",
        "SOCIALCREDIT_SESSION_SECRET": "b" * 48,
    }
    command = [sys.executable, "-m", "socialcredit.cli", "serve", "--port", str(port)]
    server = subprocess.Popen([*command, "--workers", str(args.workers)], env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if httpx.get(f"{base}/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        with httpx.Client(base_url=base) as http:
            http.get("/login")
            form = {"csrf": http.cookies["sc_csrf"], "account": "resident"}
            form["password"] = "resident-demo-2026"
            assert http.post("/login", data=form).status_code == 200
            cookies = {"sc_session": http.cookies["sc_session"]}
            for path in ("/me", f"/subjects/{REFS[0]}"):  # warm every worker's caches
                for _ in range(4 * args.workers):
                    http.get(path)
        results = {}
        for name, url in (
            ("baseline GET /v1/health", f"{base}/v1/health"),
            ("GET /subjects/{ref}", base + "/subjects/{ref}"),
            ("GET /me", f"{base}/me"),
        ):
            values = _phase(url, args.clients, args.seconds, cookies)
            results[name] = (len(values), _pct(values, 0.5), _pct(values, 0.95))
    finally:
        server.terminate()
        server.wait(timeout=30)
    base_p95 = results["baseline GET /v1/health"][2]
    lines = []
    for name, (n, p50, p95) in results.items():
        ratio = p95 / base_p95 if base_p95 else 0
        line = (
            f"| {name} | {n:,} | {n / args.seconds:,.0f} | {p50:.1f} | {p95:.1f} | {ratio:.1f}x |"
        )
        print(line)
        lines.append(line)
    write_section(
        "Portal pages under load (python -m benchmarks.bench_portal)",
        f"{machine()}; the demo store (copy), `socialcredit serve --workers {args.workers}`, "
        f"{args.clients} concurrent clients on the same 2 cores, {args.seconds:.0f} s per "
        "phase. Target: p95 <= 100 ms for the subject page and /me.\n\n"
        "| phase | requests | per second | p50 ms | p95 ms | p95 / baseline |\n"
        "| --- | ---: | ---: | ---: | ---: | ---: |\n" + "\n".join(lines),
    )


if __name__ == "__main__":
    main()
