"""Reading record files: JSONL, CSV and Parquet, one record per line or row.

Each source yields ``(line, value)`` where ``value`` is the decoded mapping,
or a :class:`~socialcredit.errors.RecordRejected` (``malformed``) when the
line cannot be decoded at all. Line numbers are 1-based; for CSV the header
is line 1, for Parquet the row number.

Hostile input is refused line by line, never by a crash: invalid UTF-8, a
repeated key (JSON) or column (CSV, Parquet), a field longer than
``MAX_FIELD_CHARS`` are ``malformed`` for the lines they touch, and the valid
lines of the file are kept. A UTF-8 byte order mark is accepted at the start
of a JSONL or CSV file. A file that cannot be read at all (not there, a
folder, an unknown format, not Parquet) raises :class:`FileRefused`.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from itertools import chain, islice
from pathlib import Path
from typing import Any

import orjson

from socialcredit.errors import MalformedRecord, RecordRejected, SocialCreditError

Item = tuple[int, dict[str, Any] | RecordRejected]
FORMATS = ("jsonl", "csv", "parquet")
MAX_FIELD_CHARS = 1 << 20  # a CSV field longer than this is malformed (1 MiB)
BOM = b"\xef\xbb\xbf"


csv.field_size_limit(MAX_FIELD_CHARS)


class FileRefused(SocialCreditError):
    """A file that cannot be read at all: reported for the file, not for a line."""

    code = "unreadable_file"
    status = 400


class UnknownFormat(FileRefused):
    """Not ``.jsonl``/``.ndjson``/``.json``/``.csv``/``.parquet``/``.pq``."""

    code = "unknown_format"


class FileNotFound(FileRefused):
    code = "not_found"
    status = 404


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
    raise UnknownFormat(
        f"{path}: cannot tell the format from the name; use .jsonl, .csv or .parquet",
    )


def count_items(path: Path) -> int:
    """Number of records in a file, cheaply, for progress bars."""
    try:
        fmt = detect_format(path)
        if not path.is_file():
            return 0
        if fmt == "parquet":
            return int(_parquet_file(path).metadata.num_rows)
    except FileRefused:
        return 0
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
    """The file in chunks of about ``size`` items (see :data:`Chunk`).

    Raises :class:`FileRefused` at once for a file that is not there, not a
    file, of an unknown format or not readable as its format; a Parquet file
    that turns out to be corrupt further on raises it when that part is read.
    """
    if not path.exists():
        raise FileNotFound(f"{path}: no such file")
    fmt = detect_format(path)
    if not path.is_file():
        raise FileRefused(f"{path}: not a file")
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
            if first == 1 and lines[0].startswith(BOM):
                lines[0] = lines[0][len(BOM) :]
            yield "jsonl", first, lines
            first += len(lines)


def _jsonl_items(lines: list[bytes], first: int) -> Iterator[Item]:
    for line_no, line in enumerate(lines, start=first):
        if not line.strip():
            continue
        try:
            value = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            yield line_no, MalformedRecord(f"line is not valid JSON: {exc}")
            continue
        if not isinstance(value, dict):
            yield line_no, MalformedRecord("line is not a JSON object")
            continue
        if (repeated := repeated_key(line, value)) is not None:
            yield (
                line_no,
                MalformedRecord(f"{repeated}: the key is given more than once", field=repeated),
            )
            continue
        yield line_no, value


def repeated_key(text: bytes | str, value: dict[str, Any]) -> str | None:
    """A key that occurs twice in one JSON object of ``text`` (decoded as ``value``).

    JSON parsers keep the last of two equal keys, so a record naming its subject
    twice would silently go to the second. The quick count of ``":`` in the text
    equals the number of keys decoded whenever no key is repeated (and no string
    holds ``":``, and no space precedes a colon); otherwise the text is parsed
    again, slowly and exactly, keeping every pair."""
    raw = text.encode() if isinstance(text, str) else text
    if raw.count(b'":') == _count_keys(value):
        return None
    found: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        seen: set[str] = set()
        for key, _ in items:
            if key in seen and not found:
                found.append(key)
            seen.add(key)
        return dict(items)

    try:
        json.loads(raw, object_pairs_hook=pairs)
    except ValueError:  # decoded by orjson, so this does not happen; refuse if it does
        return "(record)"
    return found[0] if found else None


def _count_keys(value: dict[str, Any]) -> int:
    # exact types (decoded JSON holds only dict and list containers): isinstance and
    # a generic recursion cost three times as much per record
    n = len(value)
    for item in value.values():
        kind = type(item)
        if kind is dict:
            n += _count_keys(item)
        elif kind is list:
            n += _count_in_list(item)
    return n


def _count_in_list(items: list[Any]) -> int:
    n = 0
    for item in items:
        kind = type(item)
        if kind is dict:
            n += _count_keys(item)
        elif kind is list:
            n += _count_in_list(item)
    return n


_CSV_BOOL = {"true": True, "false": False, "1": True, "0": False, "": None}


def _csv_chunks(path: Path, size: int) -> Iterator[Chunk]:
    items = _read_csv(path)
    while batch := list(islice(items, size)):
        yield "items", batch[0][0], batch


def _read_csv(path: Path) -> Iterator[Item]:
    # surrogateescape keeps undecodable bytes as lone surrogates, so one bad byte
    # refuses its own row and the reader goes on with the next
    with path.open("r", encoding="utf-8-sig", errors="surrogateescape", newline="") as fh:
        reader = csv.reader(fh)
        header: list[str] | None = None
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                problem = MalformedRecord(f"row is not valid CSV: {exc}")
                yield reader.line_num, problem
                continue
            if header is None:
                header = row
                continue
            if not any(row):
                continue
            yield reader.line_num, _csv_value(header, row)


def _csv_value(header: list[str], row: list[str]) -> dict[str, Any] | RecordRejected:
    if _undecodable(header) or _undecodable(row):
        return MalformedRecord("row is not valid UTF-8")
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        return MalformedRecord(
            f"header: column {repeated[0]!r} is given more than once",
            field=repeated[0],
        )
    if len(row) > len(header):
        return MalformedRecord("row has more fields than the header")
    value: dict[str, Any] = {k: v for k, v in zip(header, row, strict=False) if v != ""}
    if (problem := _decode_attributes(value)) is not None:
        return problem
    if "withdrawn" in value:
        flag = _CSV_BOOL.get(str(value["withdrawn"]).strip().lower(), value["withdrawn"])
        if flag is None:
            del value["withdrawn"]
        else:
            value["withdrawn"] = flag
    return value


def _undecodable(fields: list[str]) -> bool:
    return any(_SURROGATE.search(f) for f in fields)


_SURROGATE = re.compile("[\udc80-\udcff]")


def _parquet_file(path: Path) -> Any:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        return pq.ParquetFile(path)
    except (pa.ArrowException, OSError, UnicodeDecodeError) as exc:
        # a corrupt footer may name a column in bytes that are no UTF-8
        raise FileRefused(f"{path}: not a readable Parquet file: {exc}") from None


def _parquet_chunks(path: Path, size: int) -> Iterator[Chunk]:
    import pyarrow as pa

    first = 1
    parquet = _parquet_file(path)
    batches = parquet.iter_batches(batch_size=size)
    while True:
        try:
            batch = next(batches)
        except StopIteration:
            return
        except (pa.ArrowException, OSError, UnicodeDecodeError) as exc:
            raise FileRefused(
                f"{path}: not a readable Parquet file from row {first} on: {exc}"
            ) from None
        yield "arrow", first, batch
        first += batch.num_rows


def _parquet_items(batch: Any, first: int) -> Iterator[Item]:
    names = tuple(batch.schema.names)
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        twice = MalformedRecord(
            f"column {repeated[0]!r} is given more than once", field=repeated[0]
        )
        for line_no in range(first, first + batch.num_rows):
            yield line_no, twice
        return
    columns, undecodable = _columns(batch)  # column-wise: no dict per row yet
    for line_no, row in enumerate(zip(*columns.values(), strict=True), start=first):
        if (problem := undecodable.get(line_no - first)) is not None:
            yield line_no, problem
            continue
        value = {k: v for k, v in zip(names, row, strict=True) if v is not None}
        if (problem := _decode_attributes(value)) is not None:
            yield line_no, problem
            continue
        yield line_no, value


def _columns(batch: Any) -> tuple[dict[str, list[Any]], dict[int, RecordRejected]]:
    """The batch's values, one list per column, and the rows (by index) whose text is
    not UTF-8: those rows are refused, the others of the batch kept."""
    import pyarrow as pa

    columns: dict[str, list[Any]] = {}
    bad: dict[int, RecordRejected] = {}
    for name, column in zip(batch.schema.names, batch.columns, strict=True):
        try:
            columns[name] = column.to_pylist()
            continue
        except UnicodeDecodeError:
            pass
        problem = MalformedRecord(f"{name}: text that is not UTF-8", field=name)
        try:
            wide = pa.types.is_large_string(column.type)
            raw = column.cast(pa.large_binary() if wide else pa.binary()).to_pylist()
        except pa.ArrowException:  # text inside a nested value: every row of the batch
            raw = [b"\xff"] * len(column)
        values: list[Any] = []
        for i, item in enumerate(raw):
            try:
                values.append(None if item is None else bytes(item).decode("utf-8"))
            except UnicodeDecodeError:
                values.append(None)
                bad.setdefault(i, problem)
        columns[name] = values
    return columns, bad


def _decode_attributes(value: dict[str, Any]) -> RecordRejected | None:
    """Attributes (and a subject hint) given as JSON text (CSV, Parquet) decoded in
    place, or the problem."""
    for key in ("attributes", "subject_hint"):
        text = value.get(key)
        if isinstance(text, (str, bytes)):
            try:
                value[key] = orjson.loads(text)
            except orjson.JSONDecodeError as exc:
                return MalformedRecord(f"{key}: not valid JSON text: {exc}", field=key)
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
