"""Writing a batch evaluation into the store: assessments, the run, its audit entry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
from sqlalchemy import delete, func, select

from socialcredit.engine.batch.compiler import OUTPUT_COLUMNS
from socialcredit.store.bulk import db_datetime, insert_rows
from socialcredit.store.chain import AuditWriter
from socialcredit.store.database import Store
from socialcredit.store.tables import assessments, evaluation_runs

RUN_EVENT = "evaluation.run"
CHUNK = 50_000


@dataclass(frozen=True)
class RunInfo:
    engine: str
    at: dt.datetime
    known_at: dt.datetime
    policy_version: str
    policy_digest: str
    started_at: dt.datetime


def _rows(table: pa.Table, run: int) -> Iterator[list[tuple[Any, ...]]]:
    for batch in table.select(list(OUTPUT_COLUMNS)).to_batches(CHUNK):
        cols = [c.to_pylist() for c in batch.columns]
        subject, scheme, rest = cols[0], cols[1], cols[2:]
        yield [(s, k, run, *r) for s, k, *r in zip(subject, scheme, *rest, strict=True)]


def write_results(store: Store, table: pa.Table, info: RunInfo, summary: dict[str, Any]) -> int:
    """Replace every assessment with ``table`` in one transaction; return the run id."""
    columns = ("subject", "scheme", "run", *OUTPUT_COLUMNS[2:])
    with store.writer() as conn:
        run = int(conn.execute(select(func.max(evaluation_runs.c.id))).scalar() or 0) + 1
        conn.execute(delete(assessments))
        for rows in _rows(table, run):
            insert_rows(conn, "assessments", columns, rows)
        finished = store.clock.now()
        insert_rows(
            conn,
            "evaluation_runs",
            (
                "id",
                "engine",
                "at",
                "known_at",
                "policy_version",
                "policy_digest",
                "subjects",
                "started_at",
                "finished_at",
            ),
            [
                (
                    run,
                    info.engine,
                    db_datetime(conn, info.at),
                    db_datetime(conn, info.known_at),
                    info.policy_version,
                    info.policy_digest,
                    int(summary["subjects"]),
                    db_datetime(conn, info.started_at),
                    db_datetime(conn, finished),
                )
            ],
        )
        with AuditWriter(conn, finished) as audit:
            audit.append(
                RUN_EVENT,
                str(run),
                {
                    "run": run,
                    "engine": info.engine,
                    "at": info.at.isoformat(),
                    "known_at": info.known_at.isoformat(),
                    "policy_version": info.policy_version,
                    "policy_digest": info.policy_digest,
                    **summary,
                },
            )
    return run
