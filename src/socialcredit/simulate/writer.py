"""Writing the sorted event table in chunks: one Parquet row group and one slab of JSON lines
per chunk; chunks are rendered ahead, in parallel, while earlier ones are written."""

from __future__ import annotations

from collections import deque
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

CHUNK_ROWS = 1 << 19
RENDER_WORKERS = 2
RENDER_AHEAD = 3


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
        parquet = pq.ParquetWriter(
            out / "records.parquet",
            SCHEMA,
            compression="zstd",
            use_dictionary=["provider", "category", "legal_basis"],  # the low-cardinality ones
        )
        written.append("records.parquet")
    jsonl = (out / "records.jsonl").open("wb") if want_jsonl else None
    if want_jsonl:
        written.append("records.jsonl")
    total = len(order)
    starts = list(range(0, total, chunk_rows))

    def job(start: int) -> tuple[pa.Table, pa.Array | None]:
        return render(ctx, table, order[start : start + chunk_rows], want_jsonl)

    try:
        # Chunks are rendered by two workers (Arrow kernels release the GIL) and written in
        # order by a third, with at most RENDER_AHEAD rendered chunks waiting.
        with (
            ThreadPoolExecutor(max_workers=RENDER_WORKERS) as renderers,
            ThreadPoolExecutor(max_workers=1) as writer,
        ):
            rendering: deque[Future[tuple[pa.Table, pa.Array | None]]] = deque()
            writing: Future[None] | None = None
            queued = 0
            for start in starts:
                while queued < len(starts) and len(rendering) < RENDER_AHEAD:
                    rendering.append(renderers.submit(job, starts[queued]))
                    queued += 1
                chunk, lines = rendering.popleft().result()
                if writing is not None:
                    writing.result()
                writing = writer.submit(_write, parquet, jsonl, chunk, lines)
                del chunk, lines
                if progress is not None:
                    progress("write", min(start + chunk_rows, total), total)
            if writing is not None:
                writing.result()
    finally:
        if parquet is not None:
            parquet.close()
        if jsonl is not None:
            jsonl.close()
    return sorted(written)
