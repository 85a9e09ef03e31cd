"""Writing the sorted event table in chunks: one Parquet row group and one slab of JSON lines
per chunk, rendering the next chunk while the previous one is written."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import BinaryIO

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.parquet as pq

from socialcredit.simulate.events import Table
from socialcredit.simulate.render.chunk import SCHEMA, Context, render
from socialcredit.simulate.world import World

CHUNK_ROWS = 1 << 20


def _lines_bytes(lines: pa.Array) -> memoryview:
    """The UTF-8 bytes of a string array whose elements are whole lines."""
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int32)
    start = int(offsets[lines.offset])
    end = int(offsets[lines.offset + len(lines)])
    return memoryview(lines.buffers()[2])[start:end]


def _write(
    parquet: pq.ParquetWriter | None,
    jsonl: BinaryIO | None,
    table: pa.Table,
    lines: pa.Array | None,
) -> None:
    if parquet is not None:
        parquet.write_table(table, row_group_size=max(len(table), 1))
    if jsonl is not None and lines is not None:
        jsonl.write(_lines_bytes(lines))


def write_records(
    world: World,
    table: Table,
    order: npt.NDArray[np.int64],
    out: Path,
    formats: Sequence[str],
    progress: Callable[[str, int, int], None] | None = None,
    chunk_rows: int = CHUNK_ROWS,
) -> list[str]:
    """Write ``records.jsonl`` and/or ``records.parquet``; return the file names written."""
    ctx = Context.of(world)
    want_jsonl = "jsonl" in formats
    want_parquet = "parquet" in formats
    written: list[str] = []
    parquet = None
    if want_parquet:
        parquet = pq.ParquetWriter(out / "records.parquet", SCHEMA, compression="zstd")
        written.append("records.parquet")
    jsonl = (out / "records.jsonl").open("wb") if want_jsonl else None
    if want_jsonl:
        written.append("records.jsonl")
    total = len(order)
    try:
        with ThreadPoolExecutor(max_workers=1) as pool:
            pending: Future[None] | None = None
            for start in range(0, total, chunk_rows):
                idx = order[start : start + chunk_rows]
                chunk, lines = render(ctx, table, idx, want_jsonl)
                if pending is not None:
                    pending.result()
                pending = pool.submit(_write, parquet, jsonl, chunk, lines)
                if progress is not None:
                    progress("write", min(start + chunk_rows, total), total)
            if pending is not None:
                pending.result()
    finally:
        if parquet is not None:
            parquet.close()
        if jsonl is not None:
            jsonl.close()
    return sorted(written)
