"""Reading record files: JSONL, CSV and Parquet, one record per line or row.

Each source yields ``(line, value)`` where ``value`` is the decoded mapping,
or a :class:`~socialcredit.errors.RecordRejected` (``malformed``) when the
line cannot be decoded at all. Line numbers are 1-based; for CSV the header
is line 1, for Parquet the row number.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from itertools import chain, islice
from pathlib import Path
from typing import Any

import orjson

from socialcredit.errors import RecordRejected, SocialCreditError

Item = tuple[int, dict[str, Any] | RecordRejected]
FORMATS = ("jsonl", "csv", "parquet")


def detect_format(path: Path) -> str:
    name = path.name.lower()
    for suffix, fmt in (
        (".jsonl", "jsonl"),
        (".ndjson", "jsonl"),
        (".json", "jsonl"),
        (".csv", "csv"),
        (".parquet", "parquet"),
        (".pq", "parquet"),
    ):
        if name.endswith(suffix):
            return fmt
    raise SocialCreditError(
        f"{path}: cannot tell the format from the name; use .jsonl, .csv or .parquet",
        code="unknown_format",
    )


def count_items(path: Path) -> int:
    """Number of records in a file, cheaply, for progress bars."""
    fmt = detect_format(path)
    if fmt == "parquet":
        import pyarrow.parquet as pq

        return int(pq.ParquetFile(path).metadata.num_rows)
    with path.open("rb") as fh:
        lines = sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))
    return max(lines - (1 if fmt == "csv" else 0), 0)


# A chunk of a file, cheap to hand to another process: its kind, the line (or
# row) number of its first item, and its payload: an Arrow record batch
# (Parquet), raw lines (JSONL), or already decoded items (CSV, whose quoting
# needs the reader's state).
Chunk = tuple[str, int, Any]


def read(path: Path, size: int = 10_000) -> Iterator[Item]:
    """The file's items, in order (a missing file or unknown format is refused at once)."""
    return chain.from_iterable(decode(c) for c in chunks(path, size))


def chunks(path: Path, size: int = 10_000) -> Iterator[Chunk]:
    """The file in chunks of about ``size`` items (see :data:`Chunk`)."""
    if not path.exists():
        raise SocialCreditError(f"{path}: no such file", code="not_found")
    fmt = detect_format(path)
    if fmt == "jsonl":
        return _jsonl_chunks(path, size)
    if fmt == "csv":
        return _csv_chunks(path, size)
    return _parquet_chunks(path, size)


def decode(chunk: Chunk) -> Iterator[Item]:
    kind, first, payload = chunk
    if kind == "jsonl":
        return _jsonl_items(payload, first)
    if kind == "arrow":
        return _parquet_items(payload, first)
    return iter(payload)


def _jsonl_chunks(path: Path, size: int) -> Iterator[Chunk]:
    with path.open("rb") as fh:
        first = 1
        while lines := list(islice(fh, size)):
            yield "jsonl", first, lines
            first += len(lines)


def _jsonl_items(lines: list[bytes], first: int) -> Iterator[Item]:
    for line_no, line in enumerate(lines, start=first):
        if not line.strip():
            continue
        try:
            value = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            yield line_no, RecordRejected(f"line is not valid JSON: {exc}", code="malformed")
            continue
        if not isinstance(value, dict):
            yield line_no, RecordRejected("line is not a JSON object", code="malformed")
            continue
        yield line_no, value


_CSV_BOOL = {"true": True, "false": False, "1": True, "0": False, "": None}


def _csv_chunks(path: Path, size: int) -> Iterator[Chunk]:
    items = _read_csv(path)
    while batch := list(islice(items, size)):
        yield "items", batch[0][0], batch


def _read_csv(path: Path) -> Iterator[Item]:
    with path.open("r", encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        for row in reader:
            line_no = reader.line_num
            value: dict[str, Any] = {k: v for k, v in row.items() if k is not None and v != ""}
            if None in row:
                yield (
                    line_no,
                    RecordRejected("row has more fields than the header", code="malformed"),
                )
                continue
            if (problem := _decode_attributes(value)) is not None:
                yield line_no, problem
                continue
            if "withdrawn" in value:
                flag = _CSV_BOOL.get(str(value["withdrawn"]).strip().lower(), value["withdrawn"])
                if flag is None:
                    del value["withdrawn"]
                else:
                    value["withdrawn"] = flag
            yield line_no, value


def _parquet_chunks(path: Path, size: int) -> Iterator[Chunk]:
    import pyarrow.parquet as pq

    first = 1
    for batch in pq.ParquetFile(path).iter_batches(batch_size=size):
        yield "arrow", first, batch
        first += batch.num_rows


def _parquet_items(batch: Any, first: int) -> Iterator[Item]:
    columns = batch.to_pydict()  # column-wise: one list per column, no dict per row yet
    names = tuple(columns)
    for line_no, row in enumerate(zip(*columns.values(), strict=True), start=first):
        value = {k: v for k, v in zip(names, row, strict=True) if v is not None}
        if (problem := _decode_attributes(value)) is not None:
            yield line_no, problem
            continue
        yield line_no, value


def _decode_attributes(value: dict[str, Any]) -> RecordRejected | None:
    """Attributes given as JSON text (CSV, Parquet) decoded in place, or the problem."""
    attrs = value.get("attributes")
    if isinstance(attrs, (str, bytes)):
        try:
            value["attributes"] = orjson.loads(attrs)
        except orjson.JSONDecodeError as exc:
            return RecordRejected(
                f"attributes: not valid JSON text: {exc}", field="attributes", code="malformed"
            )
    return None


def write_csv_text(rows: list[dict[str, Any]]) -> str:
    """Render records as CSV text (attributes as JSON); used by tests and exports."""
    columns = [
        "provider",
        "ref",
        "subject",
        "category",
        "occurred_at",
        "reported_at",
        "attributes",
        "legal_basis",
        "supersedes",
        "withdrawn",
    ]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        flat = dict(row)
        if "attributes" in flat:
            flat["attributes"] = orjson.dumps(flat["attributes"]).decode()
        writer.writerow(flat)
    return out.getvalue()
