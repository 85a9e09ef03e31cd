"""The batch engine: snapshot the ledger, run the compiled policy, store the assessments."""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from socialcredit.clock import naive_utc
from socialcredit.engine.batch.adapters.base import Adapter, UnsupportedEngine
from socialcredit.engine.batch.adapters.duckdb_adapter import DuckDBAdapter
from socialcredit.engine.batch.adapters.duckdb_execute import connect, run_query
from socialcredit.engine.batch.adapters.spark import SparkAdapter
from socialcredit.engine.batch.compiler import compile_policy
from socialcredit.engine.batch.snapshot import export_snapshot, read_snapshot
from socialcredit.engine.batch.write import RunInfo, write_results
from socialcredit.engine.model import DOMAIN_NAMES
from socialcredit.policy.policy_set import PolicySet
from socialcredit.store.database import Store

Progress = Callable[[str, int], None]
ASSESSMENTS_FILE = "assessments.parquet"
ENGINES = ("duckdb", "spark")
# the assessments as every engine hands them back (Spark's types are cast to these)
OUTPUT_SCHEMA = pa.schema(
    [
        ("subject", pa.string()),
        ("scheme", pa.string()),
        ("status", pa.string()),
        ("score_units", pa.int64()),
        *((f"{d}_units", pa.int64()) for d in DOMAIN_NAMES),
        ("grade", pa.string()),
        ("area", pa.string()),
    ]
)


@dataclass(frozen=True)
class BatchResult:
    run: int
    engine: str
    at: dt.datetime
    known_at: dt.datetime
    policy_version: str
    records: int  # records in the snapshot (known at known_at)
    subjects: int  # subjects assessed under at least one scheme
    rows: int  # (subject, scheme) assessments written
    grades: dict[str, dict[str, int]]  # scheme -> grade -> scored subjects
    no_consent: dict[str, int]  # scheme -> subjects not scored for lack of consent
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["at"] = self.at.isoformat()
        out["known_at"] = self.known_at.isoformat()
        return out


def _adapter(engine: str, folder: Path) -> Adapter:
    """The adapter that runs SQL on ``engine``."""
    if engine == "duckdb":
        return DuckDBAdapter(folder)
    if engine == "spark":
        return SparkAdapter(folder)
    raise UnsupportedEngine(
        f"the batch engine runs on {', '.join(ENGINES)}, not {engine!r}", field="engine"
    )


def evaluate_snapshot(
    folder: str | Path,
    policy: PolicySet,
    at: dt.datetime,
    known_at: dt.datetime | None = None,
    *,
    engine: str = "duckdb",
    threads: int = 2,
    memory_limit: str | None = None,
    master: str | None = None,
    session: object | None = None,
) -> pa.Table:
    """Evaluate ``policy`` over the Parquet snapshot in ``folder`` (no store needed).

    Returns an Arrow table of (subject, scheme, status, score_units, government_units,
    commercial_units, social_units, judicial_units, grade, area): ``OUTPUT_SCHEMA``.
    On DuckDB, ``memory_limit`` is the evaluation's memory budget (default:
    ``execute.default_memory_limit()``), of which DuckDB's buffer manager gets a share
    and spills beyond it (``execute.connect``). On Spark, the query runs on ``session``
    (a ``SparkSession``, left running) or on a session started on ``master`` (default
    ``local[*]``) and stopped at the end.
    """
    root = Path(folder)
    compiled = compile_policy(policy, _adapter(engine, root), at, known_at)
    if engine == "spark":
        return _on_spark(compiled.sql, master, session)
    with tempfile.TemporaryDirectory(prefix="socialcredit-spill-") as spill:
        con = connect(threads=threads, memory_limit=memory_limit, spill_to=spill)
        try:
            return run_query(con, compiled.sql)
        finally:
            con.close()


def _on_spark(sql: str, master: str | None, session: object | None) -> pa.Table:
    from socialcredit.engine.batch.adapters import spark_execute

    if session is not None:
        table = spark_execute.run_query(session, sql)
    else:
        with spark_execute.spark_session(master or spark_execute.DEFAULT_MASTER) as started:
            table = spark_execute.run_query(started, sql)
    return table.select(OUTPUT_SCHEMA.names).cast(OUTPUT_SCHEMA)


def summarise(table: pa.Table) -> dict[str, Any]:
    """Subjects, rows, grade distribution per scheme and no-consent counts."""
    grades: dict[str, dict[str, int]] = {}
    no_consent: dict[str, int] = {}
    counts = table.group_by(["scheme", "status", "grade"]).aggregate([("subject", "count")])
    for row in sorted(
        counts.to_pylist(), key=lambda r: (r["scheme"], r["status"], r["grade"] or "")
    ):
        if row["status"] == "no_consent":
            no_consent[row["scheme"]] = no_consent.get(row["scheme"], 0) + row["subject_count"]
        else:
            grades.setdefault(row["scheme"], {})[row["grade"]] = row["subject_count"]
    subjects = pc.count_distinct(table["subject"]).as_py() if table.num_rows else 0
    return {
        "subjects": subjects,
        "rows": table.num_rows,
        "grades": grades,
        "no_consent": no_consent,
    }


def write_assessments(table: pa.Table, out: str | Path) -> Path:
    """Write an evaluation's assessments to ``out/assessments.parquet``."""
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / ASSESSMENTS_FILE
    pq.write_table(table, path, compression="zstd")
    return path


def evaluate_batch(
    store: Store,
    policy: PolicySet,
    at: dt.datetime,
    known_at: dt.datetime | None = None,
    engine: str = "duckdb",
    progress: Progress | None = None,
    *,
    threads: int = 2,
    memory_limit: str | None = None,
    master: str | None = None,
    session: object | None = None,
    snapshot: str | Path | None = None,
    out: str | Path | None = None,
) -> BatchResult:
    """Evaluate every subject of the ledger under ``policy`` at ``at`` with the records known
    at ``known_at`` (default ``at``), in one SQL pass; replace the store's assessments.

    ``snapshot``: evaluate that exported snapshot (``export_snapshot``) rather than one
    exported now; its transaction time is the ``known_at``. ``out``: also write the
    assessments to ``out/assessments.parquet``. ``master``/``session``: see
    ``evaluate_snapshot``."""
    at = naive_utc(at)
    known = naive_utc(known_at) if known_at is not None else at
    started_at = store.clock.now()
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="socialcredit-snapshot-") as tmp:
        if snapshot is not None:
            snap = read_snapshot(snapshot)
            known = snap.known_at
        else:
            snap = export_snapshot(store, tmp, known, progress=progress)
        timings["snapshot"] = time.perf_counter() - clock
        clock = time.perf_counter()
        table = evaluate_snapshot(
            snap.folder,
            policy,
            at,
            known,
            engine=engine,
            threads=threads,
            memory_limit=memory_limit,
            master=master,
            session=session,
        )
    if out is not None:
        write_assessments(table, out)
    timings["evaluate"] = time.perf_counter() - clock
    if progress is not None:
        progress("evaluate", table.num_rows)
    clock = time.perf_counter()
    summary = summarise(table)
    info = RunInfo(engine, at, known, policy.version, policy.digest, started_at)
    run = write_results(store, table, info, summary)
    timings["write"] = time.perf_counter() - clock
    if progress is not None:
        progress("write", table.num_rows)
    timings["total"] = sum(timings.values())
    return BatchResult(
        run=run,
        engine=engine,
        at=at,
        known_at=known,
        policy_version=policy.version,
        records=snap.records,
        subjects=summary["subjects"],
        rows=summary["rows"],
        grades=summary["grades"],
        no_consent=summary["no_consent"],
        timings={k: round(v, 4) for k, v in timings.items()},
    )
