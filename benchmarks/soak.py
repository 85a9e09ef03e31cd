"""Load and soak: a mixed workload against a running server on 127.0.0.1.

    python -m benchmarks.soak [--seconds 600] [--clients 8] [--persons 3000]

Builds a small simulated city (ingested but for one in ten records, held back
for the ingest traffic), rated and listed, starts ``socialcredit serve`` on a
free port, and for ``--seconds`` runs ``--clients`` threads, each picking a
kind of request at random:

* ingest -- ``POST /v1/records``: the next ten held-back records, by their provider
  (once all are in, the same again: resubmissions, stored once);
* check -- ``POST /v1/checks`` for a random subject and action;
* report -- ``GET /v1/subjects/{code}/report`` (the subject service);
* search -- ``GET /v1/search`` for a random name (the public);
* remedy -- ``POST /v1/objections`` to a random record not yet contested.

It prints and writes to benchmarks/RESULTS.md the throughput, p50/p99 per kind,
the errors (any answer other than the one expected: must be 0) and the server's
resident memory after the warm-up (the first tenth of the run) and at the end
(bounded: within 20 %).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from benchmarks.results import machine, write_section
from benchmarks.server import free_port, wait_until_up

KINDS = {"ingest": 1, "check": 8, "report": 2, "search": 4, "remedy": 1}
EXPECTED = {"ingest": {200}, "check": {200}, "report": {200}, "search": {200}, "remedy": {201}}


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, seconds: float, problem: str | None) -> None:
        with self.lock:
            self.latencies[kind].append(seconds)
            if problem:
                self.errors[kind].append(problem)


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _children_rss(pid: int) -> int:
    """The server's memory: its own and its children's (a worker under a supervisor)."""
    total = _rss_kib(pid)
    for child in Path("/proc").glob("[0-9]*"):
        try:
            stat = (child / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid ...: the command name may hold spaces and parentheses
        if int(stat[stat.rindex(")") + 2 :].split()[1]) == pid:
            total += _rss_kib(int(child.name))
    return total


def build(folder: Path, persons: int) -> dict[str, Any]:
    """The city's store with everything but the held-back tenth ingested; keys."""
    from socialcredit.access.keys import create_key
    from socialcredit.ledger import sources
    from socialcredit.ledger.bootstrap import configured_packs, init_store
    from socialcredit.ledger.registry import read_provider_file, register_providers
    from socialcredit.services.evaluate import evaluate_now
    from socialcredit.services.ingest import ingestor
    from socialcredit.settings import Settings
    from socialcredit.simulate import simulate
    from socialcredit.store.database import Store

    city = folder / "city"
    simulate(
        city,
        persons=persons,
        enterprises=max(50, persons // 10),
        years=2,
        seed=7,
        end=dt.date.today(),
        formats=("jsonl",),
    )
    url = f"sqlite:///{folder / 'store.db'}"
    settings = Settings(db=url)
    store = Store(url)
    init_store(store, settings)
    register_providers(
        store, read_provider_file(city / "providers.jsonl"), configured_packs(settings)
    )
    items = [value for _line, value in sources.read(city / "records.jsonl")]
    held = [
        r
        for i, r in enumerate(items)
        if i % 10 == 9 and r.get("category", "").startswith(("transport.", "market.", "tax."))
    ]
    kept = [r for r in items if not any(r is h for h in held)]
    ingestor(store).ingest_dicts(kept)
    evaluate_now(store)
    providers = sorted({r["provider"] for r in held})
    keys = {
        "provider": create_key(
            store, "soak-provider", [f"role:provider:{p}" for p in providers], rate=100_000
        )[1],
        "party": create_key(store, "soak-airline", ["transport.*", "procurement.*"], rate=100_000)[
            1
        ],
        "service": create_key(store, "soak-subjects", ["role:subject-service"], rate=100_000)[1],
    }
    from sqlalchemy import text

    with store.reader() as conn:
        subjects = [
            r[0]
            for r in conn.execute(text("SELECT id FROM subjects WHERE kind='person' LIMIT 2000"))
        ]
        contestable = conn.execute(
            text(
                "SELECT id, subject FROM records r WHERE category LIKE 'transport.%' "
                "AND withdrawn = 0 AND NOT EXISTS (SELECT 1 FROM records s "
                "WHERE s.supersedes = r.id) ORDER BY seq LIMIT 20000"
            )
        ).all()
        names = [
            json.loads(r[0]).get("name", "")
            for r in conn.execute(
                text("SELECT attributes FROM records WHERE category = 'registry.person' LIMIT 2000")
            )
        ]
    store.close()
    # a held-back correction will replace its record during the run: not one to contest
    from socialcredit.ledger.record import record_id

    replaced = {record_id(r["provider"], r["supersedes"]) for r in held if r.get("supersedes")}
    contestable = [tuple(c) for c in contestable if c[0] not in replaced]
    return {
        "url": url,
        "held": held,
        "keys": keys,
        "subjects": subjects,
        "contestable": contestable,
        "names": [n for n in names if n],
    }


class Workload:
    def __init__(self, base: str, city: dict[str, Any], tally: Tally) -> None:
        self.base = base
        self.city = city
        self.tally = tally
        self.held = list(city["held"])
        self.contestable = list(city["contestable"])
        random.Random(3).shuffle(self.contestable)
        self.lock = threading.Lock()
        self.resubmitted = 0

    def _again(self, n: int) -> list[Any]:
        with self.lock:
            start = self.resubmitted % len(self.city["held"])
            self.resubmitted += n
        return list(self.city["held"][start : start + n])

    def _take(self, pool: list[Any], n: int) -> list[Any]:
        with self.lock:
            taken, pool[:] = pool[:n], pool[n:]
        return taken

    def request(self, client: httpx.Client, kind: str, rng: random.Random) -> None:
        keys = self.city["keys"]
        bearer = {"Authorization": ""}
        started = time.perf_counter()
        if kind == "ingest":
            # the held-back records, then the same again (resubmissions: duplicates, no-ops)
            batch = self._take(self.held, 10) or self._again(10)
            bearer["Authorization"] = f"Bearer {keys['provider']}"
            r = client.post(f"{self.base}/v1/records", json=batch, headers=bearer)
        if kind == "remedy":
            taken = self._take(self.contestable, 1)
            if not taken:
                kind = "check"
            else:
                record, subject = taken[0]
                bearer["Authorization"] = f"Bearer {keys['service']}"
                body = {
                    "subject": subject,
                    "record": record,
                    "grounds": "wrong",
                    "evidence": "receipt",
                }
                r = client.post(f"{self.base}/v1/objections", json=body, headers=bearer)
        if kind == "check":
            bearer["Authorization"] = f"Bearer {keys['party']}"
            body = {
                "subject": rng.choice(self.city["subjects"]),
                "action": rng.choice(
                    ["transport.air.ticket", "transport.rail.high_speed", "procurement.bid"]
                ),
            }
            r = client.post(f"{self.base}/v1/checks", json=body, headers=bearer)
        elif kind == "report":
            bearer["Authorization"] = f"Bearer {keys['service']}"
            r = client.get(
                f"{self.base}/v1/subjects/{rng.choice(self.city['subjects'])}/report",
                headers=bearer,
            )
        elif kind == "search":
            name = rng.choice(self.city["names"])
            r = client.get(
                f"{self.base}/v1/search", params={"q": name[: rng.randint(1, len(name))]}
            )
        elapsed = time.perf_counter() - started
        problem = None
        if r.status_code not in EXPECTED[kind]:
            problem = f"{r.status_code} {r.text[:200]}"
        self.tally.add(kind, elapsed, problem)


def run(seconds: float, clients: int, persons: int) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="soak-"))
    city = build(folder, persons)
    port = free_port()
    env = {**os.environ, "SOCIALCREDIT_DB": city["url"], "SOCIALCREDIT_PUBLIC_RATE_LIMIT": "100000"}
    server = subprocess.Popen(
        [sys.executable, "-m", "socialcredit.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base)
        tally = Tally()
        work = Workload(base, city, tally)
        kinds, weights = zip(*KINDS.items(), strict=True)
        deadline = time.monotonic() + seconds
        warm = time.monotonic() + seconds / 10
        memory: dict[str, int] = {}

        def client(n: int) -> None:
            rng = random.Random(n)
            with httpx.Client(timeout=30) as http:
                while time.monotonic() < deadline:
                    work.request(http, rng.choices(kinds, weights)[0], rng)

        threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
        for t in threads:
            t.start()
        while time.monotonic() < warm:
            time.sleep(0.2)
        memory["start_kib"] = _children_rss(server.pid)
        for t in threads:
            t.join()
        memory["end_kib"] = _children_rss(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {"seconds": seconds, "clients": clients, "tally": tally, "memory": memory}


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else 0.0


def summary(result: dict[str, Any]) -> dict[str, Any]:
    tally: Tally = result["tally"]
    kinds = {
        kind: {
            "requests": len(values),
            "p50_ms": round(_pct(values, 0.50), 1),
            "p99_ms": round(_pct(values, 0.99), 1),
            "errors": len(tally.errors.get(kind, [])),
            "first_error": (tally.errors.get(kind) or [None])[0],
        }
        for kind, values in sorted(tally.latencies.items())
    }
    total = sum(k["requests"] for k in kinds.values())
    start, end = result["memory"]["start_kib"], result["memory"]["end_kib"]
    return {
        "seconds": result["seconds"],
        "clients": result["clients"],
        "requests": total,
        "per_second": round(total / result["seconds"], 1),
        "errors": sum(k["errors"] for k in kinds.values()),
        "memory_start_mib": round(start / 1024, 1),
        "memory_end_mib": round(end / 1024, 1),
        "memory_growth": round((end - start) / start, 3) if start else None,
        "kinds": kinds,
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=600)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--persons", type=int, default=3000)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    out = summary(run(args.seconds, args.clients, args.persons))
    print(json.dumps(out, indent=2, ensure_ascii=False))
    if not args.no_write:
        rows = "\n".join(
            f"| {kind} | {k['requests']:,} | {k['p50_ms']} | {k['p99_ms']} | {k['errors']} |"
            for kind, k in out["kinds"].items()
        )
        write_section(
            "Load and soak (python -m benchmarks.soak)",
            f"{machine()}; {out['seconds']:.0f} s, {out['clients']} clients against "
            f"`socialcredit serve` on 127.0.0.1 (one worker, SQLite).\n\n"
            f"{out['requests']:,} requests, {out['per_second']} a second, "
            f"**{out['errors']} errors**; server memory {out['memory_start_mib']} MiB after "
            f"the warm-up, {out['memory_end_mib']} MiB at the end "
            f"({(out['memory_growth'] or 0) * 100:+.1f} %, bound ±20 %).\n\n"
            "| kind | requests | p50 ms | p99 ms | errors |\n| --- | ---: | ---: | ---: | ---: |\n"
            + rows,
        )
    return out


if __name__ == "__main__":
    main()
