"""Portal pages under concurrent load: `python -m benchmarks.bench_portal [--db demo/socialcredit.db]`.

On a copy of the demo store (``make demo`` first), ``socialcredit serve`` answers
``hey`` (Debian package) with ``--clients`` concurrent clients (default 20), for
``--seconds`` each, at a fixed ``--rate`` in all (default 100 requests a second)
and then as fast as they go:

* baseline: ``GET /static/portal.css`` (a static file: the server's own floor);
* ``GET /subjects/{ref}``: the public page of a listed company;
* ``GET /me``: the demo resident's own page (logged in).

Prints and writes to benchmarks/RESULTS.md p50/p95/p99 at the fixed rate and the
throughput at saturation. Target: p95 <= 100 ms for both pages at the fixed rate.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx

from benchmarks.results import machine, write_section
from benchmarks.server import free_port, wait_until_up


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


def _hey(url: str, cookie: str, args: list[str]) -> dict[str, float]:
    out = subprocess.run(
        ["hey", *args, "-H", f"Cookie: sc_session={cookie}", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    stats: dict[str, float] = {}
    if m := re.search(r"Requests/sec:\s+([\d.]+)", out):
        stats["rps"] = float(m.group(1))
    for pct in ("50", "95", "99"):
        if m := re.search(rf"\s{pct}% in ([\d.]+) secs", out):
            stats[f"p{pct}"] = float(m.group(1)) * 1000
    if "p99" not in stats:  # no response in time: say what hey saw, not a KeyError later
        raise RuntimeError(f"hey {' '.join(args)}: no latency measured\n{out[-1500:]}")
    ok = re.search(r"\[200\]\s+(\d+) responses", out)
    stats["ok"] = float(ok.group(1)) if ok else 0.0
    stats["all"] = float(sum(int(n) for n in re.findall(r"\[\d{3}\]\s+(\d+) responses", out)))
    return stats


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default="demo/socialcredit.db")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--rate", type=int, default=100, help="requests a second in all")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="bench-portal-"))
    shutil.copy(args.db, folder / "store.db")
    db = f"sqlite:///{folder / 'store.db'}"
    refs = sorted(_refs(db), key=lambda r: r.startswith("P"))  # a company first
    port = free_port()
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
        wait_until_up(base)
        with httpx.Client(base_url=base) as http:
            http.get("/login")
            form = {"csrf": http.cookies["sc_csrf"], "account": "resident"}
            form["password"] = "resident-demo-2026"
            assert http.post("/login", data=form).status_code == 303
            cookies = {"sc_session": http.cookies["sc_session"]}
            for path in ("/me", f"/subjects/{refs[0]}"):  # warm every worker's caches
                for _ in range(4 * args.workers):  # a new connection each: any worker
                    http.get(path, headers={"Connection": "close"})
        results: dict[str, tuple[dict[str, float], dict[str, float]]] = {}
        rate = ["-c", str(args.clients), "-q", str(args.rate // args.clients)]
        for name, url in (
            ("baseline GET /static/portal.css", f"{base}/static/portal.css"),
            ("GET /subjects/{ref}", f"{base}/subjects/{refs[0]}"),
            ("GET /me", f"{base}/me"),
        ):
            fixed = _hey(url, cookies["sc_session"], ["-z", f"{args.seconds}s", *rate])
            full = _hey(
                url, cookies["sc_session"], ["-z", f"{args.seconds}s", "-c", str(args.clients)]
            )
            assert fixed["ok"] == fixed["all"] and full["ok"] == full["all"], (name, fixed, full)
            results[name] = (fixed, full)
    finally:
        server.terminate()
        server.wait(timeout=30)
    lines = []
    for name, (fixed, full) in results.items():
        line = (
            f"| {name} | {fixed['rps']:,.0f} | {fixed['p50']:.1f} | {fixed['p95']:.1f} | "
            f"{fixed['p99']:.1f} | {full['rps']:,.0f} | {full['p95']:.0f} |"
        )
        print(line)
        lines.append(line)
    write_section(
        "Portal pages under load (python -m benchmarks.bench_portal)",
        f"{machine()}; a copy of the demo store (110 k subjects), `socialcredit serve "
        f"--workers {args.workers}`, `hey` with {args.clients} concurrent clients on the same "
        f"2 cores, {args.seconds:.0f} s per run: at a fixed {args.rate} requests a second in "
        f"all ({args.rate // args.clients} per client), then as fast as they go. The subject page "
        "is a listed company's; /me the demo resident's, logged in. Target: p95 <= 100 ms for "
        "both pages at the fixed rate; the baseline is a static file the app serves.\n\n"
        "| page | req/s (fixed) | p50 ms | p95 ms | p99 ms | req/s (saturated) | p95 ms (saturated) |\n"
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n" + "\n".join(lines),
    )


if __name__ == "__main__":
    main()
