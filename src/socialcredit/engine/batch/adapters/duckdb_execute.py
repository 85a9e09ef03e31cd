"""Running compiled SQL on DuckDB: the one module that opens DuckDB connections.

A memory limit here is the evaluation's budget for the whole process. DuckDB's buffer
manager, which spills sorts, hash tables and windows to disk beyond its own limit, gets
``DUCKDB_SHARE`` of it; the rest is left for what it does not count: the Python
interpreter and its libraries, the assessments handed back as an Arrow table (about
100 bytes each) and DuckDB's allocations outside its buffer pool.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import duckdb
import pyarrow as pa

DEFAULT_THREADS = 2
DUCKDB_SHARE = 0.65
_UNITS = {
    "b": 1,
    "kb": 10**3,
    "mb": 10**6,
    "gb": 10**9,
    "tb": 10**12,
    "kib": 2**10,
    "mib": 2**20,
    "gib": 2**30,
    "tib": 2**40,
}
_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*", re.IGNORECASE)


def default_memory_limit() -> str:
    """The evaluation's memory budget: half the machine's memory, at most 8 GB."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):  # pragma: no cover - not POSIX
        return "4GB"
    return f"{max(1, min(8, total // 2 // 2**30))}GB"


def size_bytes(text: str) -> int:
    """Bytes in a size written as DuckDB writes them: ``8GB`` (10^9), ``512MiB`` (2^20)..."""
    match = _SIZE.fullmatch(text)
    unit = match.group(2).lower() if match else ""
    if match is None or unit not in _UNITS:
        raise ValueError(f"not a memory size: {text!r} (e.g. '8GB', '512MiB')")
    return int(float(match.group(1)) * _UNITS[unit])


def duckdb_memory_limit(budget: str) -> str:
    """DuckDB's own limit within a memory budget: ``DUCKDB_SHARE`` of it."""
    return f"{int(size_bytes(budget) * DUCKDB_SHARE) // 10**6}MB"


def connect(
    *,
    threads: int = DEFAULT_THREADS,
    memory_limit: str | None = None,
    spill_to: str | Path | None = None,
) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection for one evaluation whose whole process is to stay within
    ``memory_limit`` (default: ``default_memory_limit()``)."""
    config: dict[str, str | bool | int | float | list[str]] = {
        "threads": threads,
        "memory_limit": duckdb_memory_limit(memory_limit or default_memory_limit()),
        "preserve_insertion_order": False,
    }
    if spill_to is not None:
        config["temp_directory"] = str(spill_to)
    return duckdb.connect(":memory:", config=config)


def run_query(con: duckdb.DuckDBPyConnection, sql: str) -> pa.Table:
    table: pa.Table = con.sql(sql).to_arrow_table()
    return table
