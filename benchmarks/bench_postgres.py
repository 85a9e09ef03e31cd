"""SQLite against PostgreSQL in one run: `python -m benchmarks.bench_postgres [--persons N]`.

Needs a PostgreSQL database: ``SOCIALCREDIT_BENCH_POSTGRES`` (or
``SOCIALCREDIT_TEST_POSTGRES``) names it; each store is made in a schema of its
own, dropped afterwards. For each store, interleaved run by run:

* a file of a simulated city (about 200,000 records at the default size) ingested
  as `socialcredit ingest` runs it, with the derived state of every batch in its
  transaction (list entries, enforcement index, notices, search index);
* the same records as weekly uploads of ``--upload`` records each, into a store
  that already holds the first half of them;
* on PostgreSQL the file again with row inserts instead of COPY (``COPY_FROM``
  raised out of reach): the baseline of the COPY path;
* check latency (a relying party's service answering from its index, loaded from
  the store: first check and steady state) and subject report latency.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
from sqlalchemy import create_engine, text

from benchmarks.results import machine, median, write_section
from socialcredit.clock import FixedClock
from socialcredit.enforcement.service import Enforcement
from socialcredit.ledger.bootstrap import configured_packs, init_store
from socialcredit.ledger.registry import read_provider_file, register_providers
from socialcredit.services.ingest import ingestor
from socialcredit.services.report import subject_report
from socialcredit.settings import Settings
from socialcredit.simulate import simulate
from socialcredit.store import bulk
from socialcredit.store.database import Store

ACTION = "transport.air.ticket"
NOW = "2026-07-01T02:00:00"


@contextmanager
def pg_schema(base: str) -> Iterator[str]:
    schema = "bench_" + uuid.uuid4().hex[:10]
    url = base.replace("postgresql://", "postgresql+psycopg://", 1)
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@contextmanager
def fresh(kind: str, pg: str, work: Path, city: Path) -> Iterator[Store]:
    """An initialised store with the city's providers registered."""
    if kind == "sqlite":
        db = work / f"{uuid.uuid4().hex}.db"
        urls: Any = _just(f"sqlite:///{db}")
    else:
        urls = pg_schema(pg)
    with urls as url:
        store = Store(url, clock=FixedClock(NOW))
        settings = Settings(db=url)
        init_store(store, settings)
        register_providers(
            store, read_provider_file(city / "providers.jsonl"), configured_packs(settings)
        )
        try:
            yield store
        finally:
            store.close()


@contextmanager
def _just(url: str) -> Iterator[str]:
    yield url


def load_file(store: Store, city: Path) -> float:
    """records/s of the whole file, as `socialcredit ingest` runs it."""
    settings = Settings()
    feed = ingestor(store, batch_size=settings.ingest_batch, workers=settings.ingest_workers)
    started = time.perf_counter()
    result = feed.ingest_files([city / "records.parquet"])
    return (result.accepted + result.duplicates + result.rejected) / (time.perf_counter() - started)


def rows_of(city: Path) -> list[dict[str, Any]]:
    out = []
    for row in pq.read_table(city / "records.parquet").to_pylist():
        row = {k: v for k, v in row.items() if v is not None}
        if isinstance(row.get("attributes"), str):
            row["attributes"] = json.loads(row["attributes"])
        for key in ("occurred_at", "reported_at"):
            if isinstance(row.get(key), dt.date):
                row[key] = row[key].isoformat()
        out.append(row)
    return out


def uploads(store: Store, rows: list[dict[str, Any]], size: int) -> float:
    """records/s of the second half of ``rows`` as weekly uploads of ``size`` records
    into a store holding the first half (not timed)."""
    half = len(rows) // 2
    ingestor(store).ingest_dicts(rows[:half])
    assert isinstance(store.clock, FixedClock)
    started, n = time.perf_counter(), 0
    for i in range(half, len(rows), size):
        store.clock.advance(days=7)
        result = ingestor(store).ingest_dicts(rows[i : i + size])
        n += result.accepted + result.duplicates + result.rejected
        assert result.accepted, result.codes  # an upload refused whole measures nothing
    return n / (time.perf_counter() - started)


def checks(store: Store, subjects: list[str]) -> tuple[float, float, float]:
    """ms: the first check of a new service (its index loaded from the store), then
    p50 and p99 of single checks."""
    started = time.perf_counter()
    service = Enforcement(store)
    service.outcome(subjects[0], ACTION)
    first = (time.perf_counter() - started) * 1000
    times = []
    for s in subjects * 20:
        t = time.perf_counter()
        service.outcome(s, ACTION)
        times.append((time.perf_counter() - t) * 1000)
    service.close()
    return first, statistics.median(times), _p99(times)


def reports(store: Store, subjects: list[str]) -> tuple[float, float]:
    """ms: p50 and p99 of subject reports."""
    times = []
    for s in subjects:
        t = time.perf_counter()
        subject_report(store, s)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), _p99(times)


def _p99(values: list[float]) -> float:
    return sorted(values)[min(len(values) - 1, int(len(values) * 0.99))]


def sample_subjects(store: Store, n: int) -> list[str]:
    with store.reader() as conn:
        listed = [
            r[0] for r in conn.exec_driver_sql("SELECT DISTINCT subject FROM list_entries LIMIT 50")
        ]
        some = [
            r[0]
            for r in conn.exec_driver_sql(
                f"SELECT id FROM subjects ORDER BY id LIMIT {max(1, n - len(listed))}"
            )
        ]
    return listed + some


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=40_000)
    parser.add_argument("--enterprises", type=int, default=4_000)
    parser.add_argument("--upload", type=int, default=5_000, help="records a weekly upload")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    pg = os.environ.get("SOCIALCREDIT_BENCH_POSTGRES") or os.environ.get(
        "SOCIALCREDIT_TEST_POSTGRES"
    )
    if not pg:
        raise SystemExit("set SOCIALCREDIT_BENCH_POSTGRES to a PostgreSQL database URL")
    got: dict[str, list[float]] = {}
    loads: list[float] = []

    def keep(name: str, value: float) -> None:
        got.setdefault(name, []).append(value)

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        city = work / "city"
        simulate(
            city,
            persons=args.persons,
            enterprises=args.enterprises,
            years=5,
            seed=1,
            end=dt.date(2026, 6, 30),
            formats=("parquet",),
        )
        rows = rows_of(city)
        for run in range(args.runs):
            for kind in ("sqlite", "postgresql"):
                with fresh(kind, pg, work, city) as store:
                    keep(f"{kind} file", load_file(store, city))
                    subjects = sample_subjects(store, 200)
                    first, p50, p99 = checks(store, subjects)
                    keep(f"{kind} check first", first)
                    keep(f"{kind} check p50", p50)
                    keep(f"{kind} check p99", p99)
                    r50, r99 = reports(store, subjects[:100])
                    keep(f"{kind} report p50", r50)
                    keep(f"{kind} report p99", r99)
                with fresh(kind, pg, work, city) as store:
                    keep(f"{kind} uploads", uploads(store, rows, args.upload))
            with fresh("postgresql", pg, work, city) as store:
                saved, bulk.COPY_FROM = bulk.COPY_FROM, 1 << 62
                try:
                    keep("postgresql file rows", load_file(store, city))
                finally:
                    bulk.COPY_FROM = saved
            loads.append(os.getloadavg()[0])
            print(f"run {run + 1}: " + ", ".join(f"{k} {v[-1]:,.1f}" for k, v in got.items()))
    m = {k: median(v) for k, v in got.items()}
    write_section(
        "SQLite and PostgreSQL (`python -m benchmarks.bench_postgres`)",
        f"""
{len(rows):,} simulated records ({args.persons:,} persons, {args.enterprises:,} enterprises,
5 years) ingested as `socialcredit ingest` runs it, with the derived state of every batch in
its transaction (list entries, enforcement index, notices, search index), into a fresh SQLite
store (WAL) and a fresh PostgreSQL 15 schema (the machine's cluster, default settings);
median of {args.runs} runs, the stores interleaved; {machine()}; 1-minute load average
during the runs {min(loads):.1f}-{max(loads):.1f}.

| | SQLite | PostgreSQL |
| --- | ---: | ---: |
| a file of {len(rows):,} records, records/s | {m["sqlite file"]:,.0f} | {m["postgresql file"]:,.0f} |
| weekly uploads of {args.upload:,} records into a store holding {len(rows) // 2:,}, records/s | {m["sqlite uploads"]:,.0f} | {m["postgresql uploads"]:,.0f} |
| first check of a new service (its index loaded from the store), ms | {m["sqlite check first"]:.1f} | {m["postgresql check first"]:.1f} |
| check p50 / p99, ms | {m["sqlite check p50"]:.3f} / {m["sqlite check p99"]:.3f} | {m["postgresql check p50"]:.3f} / {m["postgresql check p99"]:.3f} |
| subject report p50 / p99, ms | {m["sqlite report p50"]:.1f} / {m["sqlite report p99"]:.1f} | {m["postgresql report p50"]:.1f} / {m["postgresql report p99"]:.1f} |

Baseline in the same run: PostgreSQL with row inserts (executemany) instead of COPY,
{m["postgresql file rows"]:,.0f} records/s for the file: COPY is
{m["postgresql file"] / m["postgresql file rows"]:.2f}x that. Target for PostgreSQL with
COPY and derived state: at least 30,000 records/s —
{"met" if min(m["postgresql file"], m["postgresql uploads"]) >= 30_000 else "NOT met"}.
""",
    )


if __name__ == "__main__":
    main()
