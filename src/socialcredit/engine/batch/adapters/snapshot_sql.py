"""Ad-hoc analytic SQL over a ledger snapshot on DuckDB, for the packages above the engine.

The snapshot's Parquet files are visible as the views ``records``, ``subjects`` and
``record_links``; the query's parameters are bound, never formatted into the text. The
answer is an Arrow table, so callers need not import DuckDB (the ``engines`` contract
keeps DuckDB inside ``engine/batch/adapters``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pyarrow as pa

from socialcredit.engine.batch.adapters.duckdb_execute import connect
from socialcredit.engine.batch.snapshot import SCHEMAS, Snapshot


def query_snapshot(
    snapshot: Snapshot,
    sql: str,
    params: Sequence[Any] | None = None,
    *,
    threads: int = 2,
) -> pa.Table:
    """Run one SELECT over the snapshot's views; ``params`` fill its ``?`` placeholders."""
    con = connect(threads=threads)
    try:
        for table in SCHEMAS:
            path = str(snapshot.path(table)).replace("'", "''")
            con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{path}')")
        result: pa.Table = con.sql(sql, params=list(params or [])).to_arrow_table()
        return result
    finally:
        con.close()


__all__ = ["query_snapshot"]
