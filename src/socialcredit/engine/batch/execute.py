"""Running compiled SQL on DuckDB: the one module that opens DuckDB connections."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pyarrow as pa

DEFAULT_THREADS = 2


def default_memory_limit() -> str:
    """Half the machine's memory, at most 8 GB: sorts and hash tables spill beyond it."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):  # pragma: no cover - not POSIX
        return "4GB"
    return f"{max(1, min(8, total // 2 // 2**30))}GB"


def connect(
    *,
    threads: int = DEFAULT_THREADS,
    memory_limit: str | None = None,
    spill_to: str | Path | None = None,
) -> duckdb.DuckDBPyConnection:
    config: dict[str, str | bool | int | float | list[str]] = {
        "threads": threads,
        "memory_limit": memory_limit or default_memory_limit(),
        "preserve_insertion_order": False,
    }
    if spill_to is not None:
        config["temp_directory"] = str(spill_to)
    return duckdb.connect(":memory:", config=config)


def run_query(con: duckdb.DuckDBPyConnection, sql: str) -> pa.Table:
    table: pa.Table = con.sql(sql).to_arrow_table()
    return table
