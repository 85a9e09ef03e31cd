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


def read(path: Path) -> Iterator[Item]:
    if not path.exists():
        raise SocialCreditError(f"{path}: no such file", code="not_found")
    fmt = detect_format(path)
    if fmt == "jsonl":
        return _read_jsonl(path)
    if fmt == "csv":
        return _read_csv(path)
    return _read_parquet(path)


def _read_jsonl(path: Path) -> Iterator[Item]:
    with path.open("rb") as fh:
        for line_no, line in enumerate(fh, start=1):
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
            if "attributes" in value:
                try:
                    value["attributes"] = orjson.loads(value["attributes"])
                except orjson.JSONDecodeError as exc:
                    yield (
                        line_no,
                        RecordRejected(
                            f"attributes: not valid JSON text: {exc}",
                            field="attributes",
                            code="malformed",
                        ),
                    )
                    continue
            if "withdrawn" in value:
                flag = _CSV_BOOL.get(str(value["withdrawn"]).strip().lower(), value["withdrawn"])
                if flag is None:
                    del value["withdrawn"]
                else:
                    value["withdrawn"] = flag
            yield line_no, value


def _read_parquet(path: Path) -> Iterator[Item]:
    import pyarrow.parquet as pq

    line_no = 0
    for batch in pq.ParquetFile(path).iter_batches(batch_size=20_000):
        columns = batch.to_pydict()  # column-wise: one list per column, no dict per row yet
        names = tuple(columns)
        for row in zip(*columns.values(), strict=True):
            line_no += 1
            value = {k: v for k, v in zip(names, row, strict=True) if v is not None}
            attrs = value.get("attributes")
            if isinstance(attrs, (str, bytes)):
                try:
                    value["attributes"] = orjson.loads(attrs)
                except orjson.JSONDecodeError as exc:
                    yield (
                        line_no,
                        RecordRejected(
                            f"attributes: not valid JSON text: {exc}",
                            field="attributes",
                            code="malformed",
                        ),
                    )
                    continue
            yield line_no, value


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
