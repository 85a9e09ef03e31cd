"""Ingestion with worker processes writes exactly what ingestion in one process does."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from sqlalchemy import select

from socialcredit.clock import FixedClock
from socialcredit.ledger import workers
from socialcredit.ledger.bootstrap import init_store
from socialcredit.ledger.ingest import Ingestor, IngestResult
from socialcredit.ledger.sources import write_csv_text
from socialcredit.settings import Settings
from socialcredit.store.database import Store
from socialcredit.store.tables import audit_log, records, subjects

from support.factories import judgment_default, person_id

BATCH = 4  # several batches from a small file, so the workers take over


def _rows() -> list[dict[str, Any]]:
    rows = [judgment_default(ref=f"w-{i}", subject=person_id(seq=i % 9 + 1)) for i in range(30)]
    rows[3] = {**rows[3], "subject": "110105194912310021"}  # invalid_identifier
    rows[7] = {**rows[7], "category": "judicial.nonsense"}  # unknown_category
    rows[11] = dict(rows[2])  # a duplicate
    rows[12] = {**rows[2], "legal_basis": "something else"}  # conflict
    rows[20] = {**rows[20], "occurred_at": "2031-01-01"}  # future_date
    rows[25] = {**judgment_default(ref="w-25b"), "supersedes": "w-0", "withdrawn": True}
    return rows


def _write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    lines = [orjson.dumps(r) for r in rows]
    lines.insert(5, b"{not json")  # malformed
    lines.insert(9, b"")  # blank lines are skipped, line numbers still count
    path.write_bytes(b"\n".join(lines) + b"\n")


def _write_parquet(path: Path, rows: list[dict[str, Any]]) -> None:
    columns = ("provider", "ref", "subject", "category", "legal_basis", "supersedes")
    table = pa.table(
        {
            **{c: pa.array([r.get(c) for r in rows], pa.string()) for c in columns},
            "occurred_at": pa.array([dt.date.fromisoformat(r["occurred_at"]) for r in rows]),
            "attributes": [orjson.dumps(r["attributes"]).decode() for r in rows],
            "withdrawn": pa.array([r.get("withdrawn") for r in rows], pa.bool_()),
        }
    )
    pq.write_table(table, path, row_group_size=7)


def _ingest(url: str, path: Path, n_workers: int) -> tuple[IngestResult, list[Any], list[Any]]:
    store = Store(url, clock=FixedClock("2026-03-02T02:00:00"))
    init_store(store, Settings(db=url))
    result = Ingestor(store, batch_size=BATCH, workers=n_workers).ingest_files([path])
    with store.reader() as conn:
        ledger = [tuple(r) for r in conn.execute(select(records).order_by(records.c.seq))]
        chain = [tuple(r) for r in conn.execute(select(audit_log).order_by(audit_log.c.seq))]
        ledger.extend(tuple(r) for r in conn.execute(select(subjects).order_by(subjects.c.id)))
    store.close()
    return result, ledger, chain


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_workers_write_what_one_process_writes(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"records.{fmt}"
    rows = _rows()
    if fmt == "jsonl":
        _write_jsonl(path, rows)
    elif fmt == "csv":
        path.write_text(write_csv_text(rows), encoding="utf-8")
    else:
        _write_parquet(path, rows)
    alone = _ingest(f"sqlite:///{tmp_path / 'alone.db'}", path, 0)
    shared = _ingest(f"sqlite:///{tmp_path / 'shared.db'}", path, 2)
    assert shared[0].to_dict() == alone[0].to_dict()  # counts, codes, lines, messages
    assert shared[1] == alone[1]  # the same records, subjects and sequence numbers
    assert shared[2] == alone[2]  # the same audit chain, hash for hash
    result = alone[0]
    assert result.accepted > 20 and result.duplicates == 1
    expected = {"invalid_identifier", "unknown_category", "conflict", "future_date"}
    assert expected <= set(result.codes)
    if fmt == "jsonl":
        assert result.codes["malformed"] == 1


def test_a_failing_worker_stops_the_ingestion_with_its_error(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    init_store(Store(url), Settings(db=url))
    broken = ("items", 1, 42)  # a chunk whose payload is no list of items
    with pytest.raises(TypeError):
        list(
            workers.checked_chunks(
                [broken] * 3, url=url, provider=None, day=dt.date(2026, 3, 2), workers=1
            )
        )


_KILLED_INGEST = """
import sys, pathlib
from socialcredit.ledger.bootstrap import init_store
from socialcredit.ledger.ingest import Ingestor
from socialcredit.store.database import Store
from socialcredit.settings import Settings
url, path, marker = sys.argv[1:4]
store = Store(url)
init_store(store, Settings(db=url))
def progress(n):
    pathlib.Path(marker).touch()
Ingestor(store, batch_size=50, workers=1).ingest_files([pathlib.Path(path)], progress=progress)
"""


def _children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_workers_die_with_a_killed_ingestion(tmp_path: Path) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    rows = [judgment_default(ref=f"k-{i}", subject=person_id(seq=i % 9 + 1)) for i in range(20_000)]
    path = tmp_path / "big.jsonl"
    path.write_bytes(b"\n".join(orjson.dumps(r) for r in rows) + b"\n")
    marker = tmp_path / "started"
    url = f"sqlite:///{tmp_path / 'store.db'}"
    proc = subprocess.Popen(
        [sys.executable, "-c", _KILLED_INGEST, url, str(path), str(marker)],
        cwd=Path(__file__).parent,
    )
    try:
        deadline = time.monotonic() + 120
        while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert marker.exists(), "the ingestion never wrote a batch"
        children = _children(proc.pid)
        assert children, "the ingestion started no worker"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        deadline = time.monotonic() + 10
        while any(_alive(c) for c in children) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [c for c in children if _alive(c)], "a worker outlived its ingestion"
    finally:
        if proc.poll() is None:
            proc.kill()
