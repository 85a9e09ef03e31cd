"""An evaluation run of the policy in force, and what it publishes.

An evaluation of the present rates every subject (the batch engine), publishes
the grade-based lists from the new grades, and re-derives every subject's
record-based list entries and the enforcement index
(:mod:`socialcredit.services.rederive`), with the notices ingestion would
give. An evaluation of another time only writes the assessments.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import select

from socialcredit.clock import day_of
from socialcredit.enforcement.cache import notify
from socialcredit.enforcement.publish import publish_grade_lists
from socialcredit.engine.batch.run import BatchResult, Progress, evaluate_batch
from socialcredit.ledger.policy_store import policy_at
from socialcredit.services.rederive import Rederived, rederive
from socialcredit.store.database import Store
from socialcredit.store.tables import list_entries

LIST_ENTRIES_FILE = "list_entries.parquet"
LIST_ENTRIES_SCHEMA = pa.schema(
    [
        *((c, pa.string()) for c in ("id", "list", "kind", "subject", "status_basis")),
        *((c, pa.date32()) for c in ("pending_from", "effective_from", "ends_on")),
    ]
)


def evaluate_now(
    store: Store,
    at: dt.datetime | None = None,
    known_at: dt.datetime | None = None,
    *,
    engine: str = "duckdb",
    progress: Progress | None = None,
    master: str | None = None,
    session: object | None = None,
    snapshot: str | Path | None = None,
    out: str | Path | None = None,
) -> tuple[BatchResult, dict[str, int], Rederived | None]:
    """Evaluate every subject under the packs active at ``at`` (default now). An
    evaluation of the present publishes the grade-based lists and re-derives the
    record-based entries (returned second and third); one of another time only
    writes the assessments. ``master``/``session``: where Spark runs (engine
    ``spark``); ``snapshot``: an exported snapshot to evaluate; ``out``: a folder that
    gets the assessments and list entries as Parquet too."""
    present = at is None and known_at is None
    when = store.clock.now() if at is None else at
    with store.reader() as conn:
        policy, _note = policy_at(conn, when)
    result = evaluate_batch(
        store,
        policy,
        when,
        known_at,
        engine,
        progress,
        master=master,
        session=session,
        snapshot=snapshot,
        out=out,
    )
    published: dict[str, int] = {}
    rederived: Rederived | None = None
    if present:
        with store.writer() as conn:
            published = publish_grade_lists(conn, policy, day_of(when))
        rederived = rederive(store, policy, when, progress)
        notify(store.url)
    if out is not None:
        write_list_entries(store, out)
    return result, published, rederived


def write_list_entries(store: Store, out: str | Path) -> Path:
    """The store's list entries, as the evaluation left them, to ``out/list_entries.parquet``."""
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    with store.reader() as conn:
        rows = [dict(r) for r in conn.execute(select(list_entries)).mappings()]
    table = pa.Table.from_pylist(rows, schema=LIST_ENTRIES_SCHEMA)
    path = folder / LIST_ENTRIES_FILE
    pq.write_table(table, path, compression="zstd")
    return path
