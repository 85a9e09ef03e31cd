"""The batch engine: the whole ledger evaluated in one SQL pass (docs/engine.md).

The active policy is compiled by sqlglot into one dialect-neutral query; an
adapter per engine (DuckDB today) supplies the engine specifics and runs it
over a Parquet snapshot of the ledger.
"""

from socialcredit.engine.batch.adapters.base import UnsupportedEngine
from socialcredit.engine.batch.compiler import (
    OUTPUT_COLUMNS,
    SCORE_COLUMNS,
    Compiled,
    compile_policy,
)
from socialcredit.engine.batch.run import BatchResult, evaluate_batch, evaluate_snapshot
from socialcredit.engine.batch.snapshot import (
    Snapshot,
    SnapshotWriter,
    export_snapshot,
    read_snapshot,
    write_snapshot,
)

__all__ = [
    "OUTPUT_COLUMNS",
    "SCORE_COLUMNS",
    "BatchResult",
    "Compiled",
    "Snapshot",
    "SnapshotWriter",
    "UnsupportedEngine",
    "compile_policy",
    "evaluate_batch",
    "evaluate_snapshot",
    "export_snapshot",
    "read_snapshot",
    "write_snapshot",
]
