"""Ingestion under random input (hypothesis): never a crash, every refusal a coded
error, the accepted records and only they stored, the chain intact.

Random records (valid fields mixed with random JSON of any shape, deep nesting and
wrong types), random bytes in each file format (invalid UTF-8, BOMs, empty and
huge lines, CSVs with wrong or repeated columns, truncated or corrupt Parquet)."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from socialcredit.errors import SocialCreditError
from socialcredit.ledger.bootstrap import init_store
from socialcredit.ledger.ingest import Ingestor, IngestResult
from socialcredit.settings import Settings
from socialcredit.store.database import Store
from socialcredit.store.tables import records
from socialcredit.store.verify import verify

from support.factories import judgment_default, person_id

README = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
# every documented code (README, "Every error code"): a refusal carries one of them
CODES = set(re.findall(r"^\| `([a-z_]+)` \| \d{3} \|", README, flags=re.MULTILINE))
SLOW = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
FIELDS = ("provider", "ref", "subject", "category", "occurred_at", "reported_at", "attributes")


@pytest.fixture(scope="module")
def shared(tmp_path_factory: Any) -> Iterator[Store]:
    """One store for every example: each checks what its own ingestion added."""
    url = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'store.db'}"
    store = Store(url)
    init_store(store, Settings(db=url))
    yield store
    store.close()


def _stored(store: Store) -> int:
    with store.reader() as conn:
        return int(conn.execute(select(func.count()).select_from(records)).scalar_one())


def _check(store: Store, before: int, result: IngestResult, lines: int | None) -> None:
    assert all(e.code in CODES for e in result.errors), [e.code for e in result.errors]
    assert _stored(store) == before + result.accepted
    if lines is not None:
        assert result.accepted + result.duplicates + result.rejected == lines
    with store.reader() as conn:
        assert verify(conn).ok


def _ingest(store: Store, path: Path) -> IngestResult:
    try:
        return Ingestor(store).ingest_files([path])
    except SocialCreditError as exc:  # a refusal of the whole file is coded too
        assert exc.code in CODES, exc.code
        return IngestResult()


@st.composite
def records_(draw: st.DrawFn) -> dict[str, Any]:
    """A judgment-default record with some fields replaced, removed or added at random."""
    row: dict[str, Any] = judgment_default(
        ref=draw(st.text(min_size=1, max_size=12)),
        subject=person_id(seq=draw(st.integers(1, 99))),
    )
    for name in draw(st.lists(st.sampled_from(FIELDS), max_size=3, unique=True)):
        if draw(st.booleans()):
            row.pop(name, None)
        else:
            row[name] = draw(JSON)
    if isinstance(row.get("attributes"), dict) and draw(st.booleans()):
        row["attributes"] = {**row["attributes"], draw(st.text(max_size=6)): draw(JSON)}
    if draw(st.booleans()):
        row[draw(st.text(max_size=6))] = draw(JSON)
    return row


def _file(store: Store, name: str, data: bytes) -> Path:
    folder = Path(str(store.url).removeprefix("sqlite:///")).parent / "files"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    return path


def _run(store: Store, path: Path, lines: int | None) -> IngestResult:
    before = _stored(store)
    result = _ingest(store, path)
    _check(store, before, result, lines)
    return result


@SLOW
@given(rows=st.lists(records_(), min_size=1, max_size=12))
def test_random_records_are_stored_or_refused_with_a_code(
    shared: Store, rows: list[dict[str, Any]]
) -> None:
    text = "\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n"
    _run(shared, _file(shared, "r.jsonl", text.encode("utf-8", "surrogatepass")), len(rows))


def test_deeply_nested_and_huge_attributes_are_refused_with_a_code(shared: Store) -> None:
    good = judgment_default(ref="fine")
    deep = json.dumps(judgment_default(ref="deep")).replace(
        '"amount": 50000', '"amount": ' + "[" * 5000 + "1" + "]" * 5000
    )
    huge = judgment_default(ref="huge")
    huge["attributes"]["case_no"] = "x" * 2_000_000
    text = "\n".join([deep, json.dumps(huge), json.dumps(good)]) + "\n"
    result = _run(shared, _file(shared, "deep.jsonl", text.encode()), 3)
    assert result.accepted + result.duplicates == 1 and [e.line for e in result.errors] == [1, 2]


@SLOW
@given(
    data=st.binary(max_size=2_000),
    suffix=st.sampled_from([".jsonl", ".csv", ".parquet", ".json"]),
    bom=st.booleans(),
)
def test_random_bytes_in_any_format_never_crash(
    shared: Store, data: bytes, suffix: str, bom: bool
) -> None:
    _run(shared, _file(shared, f"f{suffix}", (b"\xef\xbb\xbf" if bom else b"") + data), None)


def _cell(text: str) -> str:
    return "".join(" " if c in ',\n\r"' else c for c in text)


@SLOW
@given(
    header=st.lists(
        st.sampled_from([*FIELDS, "x", "subject", "attributes.amount"]), min_size=1, max_size=9
    ),
    cells=st.lists(st.lists(st.text(max_size=12), max_size=10), min_size=1, max_size=5),
)
def test_csv_with_wrong_or_repeated_columns_is_refused_with_a_code(
    shared: Store, header: list[str], cells: list[list[str]]
) -> None:
    lines = [",".join(header), *(",".join(_cell(c) for c in row) for row in cells)]
    data = ("\n".join(lines) + "\n").encode("utf-8", "surrogatepass")
    _run(shared, _file(shared, "r.csv", data), None)


@SLOW
@given(cut=st.floats(min_value=0.0, max_value=1.0), flip=st.integers(0, 10_000))
def test_truncated_or_corrupt_parquet_never_crashes(shared: Store, cut: float, flip: int) -> None:
    rows = [judgment_default(ref=f"pq{i}") for i in range(20)]
    for r in rows:
        r["attributes"] = json.dumps(r["attributes"])
    buffer = io.BytesIO()
    pq.write_table(pa.Table.from_pylist(rows), buffer)
    data = bytearray(buffer.getvalue())
    if cut < 1:
        data = data[: max(1, int(len(data) * cut))]
    data[flip % len(data)] ^= 0xFF
    _run(shared, _file(shared, "r.parquet", bytes(data)), None)
