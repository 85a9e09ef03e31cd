"""Ingestion throughput into SQLite: `python -m benchmarks.bench_ingest [--persons N]`.

A simulated city is ingested into a fresh store several times; the baseline,
in the same run, appends the same rows with a bare `sqlite3` executemany (no
validation, no audit chain): the ratio is what validation, idempotency checks
and the audit chain cost.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sqlite3
import tempfile
import time
from pathlib import Path

import pyarrow.parquet as pq

from benchmarks.results import machine, median, write_section
from socialcredit.ledger.bootstrap import configured_packs, init_store
from socialcredit.ledger.ingest import Ingestor
from socialcredit.ledger.registry import read_provider_file, register_providers
from socialcredit.services.ingest import ingestor as with_derivation
from socialcredit.settings import Settings
from socialcredit.simulate import simulate
from socialcredit.store.database import Store


def _ours(city: Path, work: Path, derived: bool = False, workers: int = 0) -> tuple[float, int]:
    """Ledger ingestion alone, or (``derived``) as `socialcredit ingest` runs it: list
    entries, the enforcement index and notices re-derived in each batch's transaction;
    with ``workers`` processes decoding and validating while this one writes."""
    db = work / "ours.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    settings = Settings(db=f"sqlite:///{db}")
    store = Store(settings.db)
    init_store(store, settings)
    register_providers(
        store, read_provider_file(city / "providers.jsonl"), configured_packs(settings)
    )
    ingestor = (
        with_derivation(store, batch_size=settings.ingest_batch, workers=workers)
        if derived
        else Ingestor(store, batch_size=settings.ingest_batch, workers=workers)
    )
    started = time.perf_counter()
    result = ingestor.ingest_files([city / "records.parquet"])
    elapsed = time.perf_counter() - started
    with store.reader() as conn:
        LISTED.append(
            conn.exec_driver_sql(
                "SELECT (SELECT count(DISTINCT subject) FROM list_entries) * 1.0 "
                "/ (SELECT count(*) FROM subjects)"
            ).scalar()
            or 0.0
        )
        NOTICES.append(conn.exec_driver_sql("SELECT count(*) FROM notices").scalar() or 0)
    store.close()
    return elapsed, result.accepted + result.duplicates + result.rejected


LISTED: list[float] = []  # share of subjects on a list after a run with derivation
NOTICES: list[int] = []


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
        ours, alone, full, bare, loads = [], [], [], [], []
        records = 0
        workers = Settings().ingest_workers
        for _ in range(args.runs):  # interleaved, so that a busy spell hits all four
            t, records = _ours(city, work, workers=workers)
            ours.append(records / t)
            t, records = _ours(city, work, workers=0)
            alone.append(records / t)
            t, records = _ours(city, work, derived=True, workers=workers)
            full.append(records / t)
            tb, _n = _baseline(city, work)
            bare.append(records / tb)
            loads.append(os.getloadavg()[0])
    ours_rate, alone_rate = median(ours), median(alone)
    full_rate, bare_rate = median(full), median(bare)
    print(
        f"ledger ingestion: {ours_rate:,.0f} records/s (runs {', '.join(f'{r:,.0f}' for r in ours)}); "
        f"in one process {alone_rate:,.0f}/s; with derivation: {full_rate:,.0f}/s; "
        f"bare sqlite3: {bare_rate:,.0f}/s"
    )
    write_section(
        "Ingestion (`python -m benchmarks.bench_ingest`)",
        f"""
{records:,} simulated records ({args.persons:,} persons, {args.enterprises:,} enterprises,
5 years) from Parquet into a fresh SQLite store (WAL), median of {args.runs} runs, the four
paths interleaved; {machine()}.

| path | records/s (median) |
| --- | ---: |
| ledger ingestion (validation, authorisation, idempotency, audit chain), {workers} worker process(es) decoding and validating while the main one writes (the default, `ingest_workers`) | {ours_rate:,.0f} |
| the same all in one process (`SOCIALCREDIT_INGEST_WORKERS=0`) | {alone_rate:,.0f} |
| ledger ingestion with the derived state of each batch in its transaction (list entries, enforcement index, notices), as `socialcredit ingest` runs | {full_rate:,.0f} |
| bare `sqlite3` executemany of the same rows (no checks, no audit) | {bare_rate:,.0f} |

Ledger ingestion runs: {", ".join(f"{r:,.0f}" for r in ours)} records/s; 1-minute load
average during the runs {min(loads):.1f}-{max(loads):.1f}.
Target: at least 20,000 records/s of ledger ingestion — {"met" if ours_rate >= 20_000 else "NOT met"}
({"met" if alone_rate >= 20_000 else "not met"} in one process).
Validation and the audit chain cost {bare_rate / ours_rate:.1f}x against the bare insert
({bare_rate / alone_rate:.1f}x in one process); deriving lists, the index and notices in the
same transactions costs another {ours_rate / full_rate:.1f}x (by the end {LISTED[-1]:.1%} of
this city's subjects are on a list and {NOTICES[-1]:,} notices have been written).
""",
    )


if __name__ == "__main__":
    main()
