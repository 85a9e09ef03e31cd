"""Ingestion throughput into SQLite: `python -m benchmarks.bench_ingest [--persons N]`.

A simulated city is ingested into a fresh store several times; the baseline,
in the same run, appends the same rows with a bare `sqlite3` executemany (no
validation, no audit chain): the ratio is what validation, idempotency checks
and the audit chain cost.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sqlite3
import tempfile
import time
from pathlib import Path

import pyarrow.parquet as pq

from benchmarks.results import machine, median, write_section
from socialcredit.ledger.bootstrap import configured_packs, init_store
from socialcredit.ledger.ingest import Ingestor
from socialcredit.ledger.registry import read_provider_file, register_providers
from socialcredit.ledger.store import Store
from socialcredit.settings import Settings
from socialcredit.simulate import simulate


def _ours(city: Path, work: Path) -> tuple[float, int]:
    db = work / "ours.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    settings = Settings(db=f"sqlite:///{db}")
    store = Store(settings.db)
    init_store(store, settings)
    register_providers(
        store, read_provider_file(city / "providers.jsonl"), configured_packs(settings)
    )
    ingestor = Ingestor(store, batch_size=settings.ingest_batch)
    started = time.perf_counter()
    result = ingestor.ingest_files([city / "records.parquet"])
    elapsed = time.perf_counter() - started
    store.close()
    return elapsed, result.accepted + result.duplicates + result.rejected


def _baseline(city: Path, work: Path) -> tuple[float, int]:
    db = work / "bare.db"
    db.unlink(missing_ok=True)
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute(
        "CREATE TABLE records (provider TEXT, ref TEXT, subject TEXT, category TEXT, "
        "occurred_at TEXT, attributes TEXT, legal_basis TEXT, UNIQUE(provider, ref))"
    )
    started = time.perf_counter()
    n = 0
    for batch in pq.ParquetFile(city / "records.parquet").iter_batches(batch_size=10_000):
        rows = batch.to_pylist()
        conn.executemany(
            "INSERT OR IGNORE INTO records VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    r["provider"],
                    r["ref"],
                    r["subject"],
                    r["category"],
                    str(r["occurred_at"]),
                    r["attributes"],
                    r["legal_basis"],
                )
                for r in rows
            ],
        )
        conn.commit()
        n += len(rows)
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed, n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=40_000)
    parser.add_argument("--enterprises", type=int, default=4_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
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
        ours, bare = [], []
        records = 0
        for _ in range(args.runs):
            t, records = _ours(city, work)
            ours.append(records / t)
            tb, _n = _baseline(city, work)
            bare.append(records / tb)
    ours_rate, bare_rate = median(ours), median(bare)
    print(f"socialcredit ingest: {ours_rate:,.0f} records/s; bare sqlite3: {bare_rate:,.0f}/s")
    write_section(
        "Ingestion (`python -m benchmarks.bench_ingest`)",
        f"""
{records:,} simulated records ({args.persons:,} persons, {args.enterprises:,} enterprises,
5 years) from Parquet into a fresh SQLite store (WAL), median of {args.runs} runs; {machine()}.

| path | records/s (median) |
| --- | ---: |
| `socialcredit ingest` (validation, authorisation, idempotency, audit chain) | {ours_rate:,.0f} |
| bare `sqlite3` executemany of the same rows (no checks, no audit) | {bare_rate:,.0f} |

Target: at least 20,000 records/s — {"met" if ours_rate >= 20_000 else "NOT met"}.
Validation and the audit chain cost {bare_rate / ours_rate:.1f}x against the bare insert.
""",
    )


if __name__ == "__main__":
    main()
