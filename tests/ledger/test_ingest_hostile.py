"""Hostile files: every one refused with a code, never a crash; valid lines kept."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from socialcredit.cli import app
from socialcredit.ledger.ingest import MAX_ERRORS_KEPT, Ingestor, IngestResult
from socialcredit.ledger.sources import write_csv_text
from socialcredit.store.database import Store
from socialcredit.store.tables import records

from support.factories import PERSON, judgment_default, person_id


def stored(store: Store) -> int:
    with store.reader() as conn:
        return int(conn.execute(select(func.count()).select_from(records)).scalar() or 0)


def ingest_file(store: Store, path: Path, **kw: Any) -> IngestResult:
    return Ingestor(store, **kw).ingest_files([path])


def rows(n: int) -> list[dict[str, Any]]:
    return [judgment_default(ref=f"(2025)鲁1082执{i}号") for i in range(1, n + 1)]


def jsonl(path: Path, lines: list[bytes]) -> Path:
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def line_of(row: dict[str, Any]) -> bytes:
    return json.dumps(row, ensure_ascii=False).encode()


# -- repeated keys -------------------------------------------------------------------


def test_a_repeated_key_in_json_is_malformed_not_the_last_one_wins(
    sqlite_store: Store, tmp_path: Path
) -> None:
    other = person_id("371082", "19800101", 5)
    good = line_of(judgment_default())
    twice = good.replace(b'"subject": ', f'"subject": "{other}", "subject": '.encode(), 1)
    nested = line_of(judgment_default(ref="r2")).replace(
        b'"amount": 50000', b'"amount": 1, "amount": 50000'
    )
    result = ingest_file(sqlite_store, jsonl(tmp_path / "r.jsonl", [twice, nested, good]))
    assert [(e.line, e.code) for e in result.errors] == [(1, "malformed"), (2, "malformed")]
    assert "subject" in result.errors[0].message and "amount" in result.errors[1].message
    assert result.accepted == 1 and stored(sqlite_store) == 1


def test_keys_inside_strings_and_spaced_colons_are_not_repeats(
    sqlite_store: Store, tmp_path: Path
) -> None:
    quoted = judgment_default(ref='odd "ref": here', legal_basis='cites "case_no": nothing')
    spaced = line_of(judgment_default(ref="r2")).replace(b'"category": ', b'"category" :  ')
    result = ingest_file(sqlite_store, jsonl(tmp_path / "r.jsonl", [line_of(quoted), spaced]))
    assert (result.accepted, result.rejected) == (2, 0), result.errors


def test_a_repeated_csv_column_refuses_every_row(sqlite_store: Store, tmp_path: Path) -> None:
    header, *rest = write_csv_text(rows(2)).splitlines()
    other = person_id("371082", "19800101", 5)
    lines = [f"{line},{other}" for line in rest]
    path = tmp_path / "r.csv"
    path.write_text(f"{header},subject\n" + "\n".join(lines) + "\n", encoding="utf-8")
    result = ingest_file(sqlite_store, path)
    assert [(e.line, e.code) for e in result.errors] == [(2, "malformed"), (3, "malformed")]
    assert "subject" in result.errors[0].message
    assert stored(sqlite_store) == 0


def test_a_repeated_parquet_column_refuses_every_row(sqlite_store: Store, tmp_path: Path) -> None:
    table = pa.table({"provider": ["spc.national"], "ref": ["r1"], "subject": [PERSON]})
    table = table.append_column("subject", pa.array([person_id("371082", "19800101", 5)]))
    path = tmp_path / "r.parquet"
    pq.write_table(table, path)
    result = ingest_file(sqlite_store, path)
    assert [(e.line, e.code) for e in result.errors] == [(1, "malformed")]
    assert "subject" in result.errors[0].message


# -- undecodable input ---------------------------------------------------------------


def test_one_bad_byte_in_a_large_csv_refuses_its_line_only(
    sqlite_store: Store, tmp_path: Path
) -> None:
    text = write_csv_text(rows(12_001)).encode()
    lines = text.split(b"\n")
    lines[12_000] = lines[12_000].replace(b"spc.national", b"spc.\xffnational")
    path = tmp_path / "big.csv"
    path.write_bytes(b"\n".join(lines))
    result = ingest_file(sqlite_store, path)
    assert [(e.line, e.code) for e in result.errors] == [(12_001, "malformed")]
    assert "UTF-8" in result.errors[0].message
    assert result.accepted == 12_000 and stored(sqlite_store) == 12_000


def test_text_that_is_not_utf8_in_parquet_refuses_its_row_only(
    sqlite_store: Store, tmp_path: Path
) -> None:
    # a writer that does not check its strings: the second row's provider is 0x8c...
    table = pa.Table.from_pylist(
        [{**r, "attributes": json.dumps(r["attributes"])} for r in rows(3)]
    )
    names = [b"spc.national", b"\x8cpc.national", b"spc.national"]
    offsets = pa.array([0, 12, 24, 36], pa.int32()).buffers()[1]
    bad = pa.Array.from_buffers(pa.string(), 3, [None, offsets, pa.py_buffer(b"".join(names))])
    table = table.set_column(table.schema.get_field_index("provider"), "provider", bad)
    path = tmp_path / "r.parquet"
    pq.write_table(table, path)
    result = ingest_file(sqlite_store, path)
    assert [(e.line, e.code) for e in result.errors] == [(2, "malformed")]
    assert "provider: text that is not UTF-8" in result.errors[0].message
    assert result.accepted == 2 and stored(sqlite_store) == 2


def test_invalid_utf8_in_jsonl_is_malformed(sqlite_store: Store, tmp_path: Path) -> None:
    bad = line_of(judgment_default()).replace(b"spc.national", b"spc.\xc3national")
    result = ingest_file(sqlite_store, jsonl(tmp_path / "r.jsonl", [bad]))
    assert [e.code for e in result.errors] == ["malformed"]


def test_a_csv_field_beyond_the_limit_refuses_its_row(sqlite_store: Store, tmp_path: Path) -> None:
    huge = judgment_default(ref="huge", legal_basis="x" * (2 << 20))
    text = write_csv_text([huge, judgment_default(ref="fine")])
    path = tmp_path / "r.csv"
    path.write_text(text, encoding="utf-8")
    result = ingest_file(sqlite_store, path)
    assert [e.code for e in result.errors] == ["malformed"]
    assert "field" in result.errors[0].message
    assert result.accepted == 1


def test_a_long_csv_field_under_the_limit_is_checked_by_the_schema(
    sqlite_store: Store, tmp_path: Path
) -> None:
    long = judgment_default(ref="long", legal_basis="x" * 200_000)
    path = tmp_path / "r.csv"
    path.write_text(write_csv_text([long]), encoding="utf-8")
    result = ingest_file(sqlite_store, path)
    assert [(e.code, e.message.split(":")[0]) for e in result.errors] == [
        ("malformed", "legal_basis")
    ]


def test_a_byte_order_mark_is_accepted_in_jsonl_as_in_csv(
    sqlite_store: Store, tmp_path: Path
) -> None:
    bom = b"\xef\xbb\xbf"
    first = jsonl(tmp_path / "a.jsonl", [bom + line_of(judgment_default(ref="a"))])
    second = tmp_path / "b.csv"
    second.write_bytes(bom + write_csv_text([judgment_default(ref="b")]).encode())
    result = Ingestor(sqlite_store).ingest_files([first, second])
    assert (result.accepted, result.rejected) == (2, 0), result.errors


# -- files that cannot be read ------------------------------------------------------


def parquet_bytes(tmp_path: Path) -> bytes:
    path = tmp_path / "ok.parquet"
    table = pa.table({k: [str(v)] for k, v in judgment_default().items() if k != "attributes"})
    pq.write_table(table, path)
    return path.read_bytes()


@pytest.mark.parametrize(
    ("name", "make", "code"),
    [
        ("truncated.parquet", lambda data: data[: len(data) // 2], "unreadable_file"),
        ("four.parquet", lambda data: b"PAR1", "unreadable_file"),
        ("random.parquet", lambda data: os.urandom(4096), "unreadable_file"),
        ("empty.parquet", lambda data: b"", "unreadable_file"),
        ("records.txt", lambda data: b"{}\n", "unknown_format"),
    ],
)
def test_an_unreadable_file_is_refused_with_a_code(
    sqlite_store: Store, tmp_path: Path, name: str, make: Any, code: str
) -> None:
    path = tmp_path / name
    path.write_bytes(make(parquet_bytes(tmp_path)))
    good = jsonl(tmp_path / "good.jsonl", [line_of(judgment_default())])
    result = Ingestor(sqlite_store).ingest_files([path, good])
    assert [(e.file, e.line, e.code) for e in result.errors] == [(str(path), 0, code)]
    assert result.files_refused == 1 and result.accepted == 1 and result.failed


def test_a_folder_and_a_missing_file_are_refused(sqlite_store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "x.jsonl"
    folder.mkdir()
    missing = tmp_path / "missing.csv"
    result = Ingestor(sqlite_store).ingest_files([folder, missing])
    assert sorted((e.code, e.line) for e in result.errors) == [
        ("not_found", 0),
        ("unreadable_file", 0),
    ]


def test_ingest_command_reports_refused_files_as_json_and_exits_2(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    runner = CliRunner()
    assert runner.invoke(app, ["--db", db, "init"]).exit_code == 0
    (tmp_path / "records.txt").write_text("{}\n", encoding="utf-8")
    folder = tmp_path / "dir.jsonl"
    folder.mkdir()
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(b"PAR1garbagePAR1")
    args = [str(tmp_path / "records.txt"), str(folder), str(bad)]
    result = runner.invoke(app, ["--db", db, "ingest", *args, "--json"])
    assert result.exit_code == 2, result.output
    body = json.loads(result.stdout)
    assert body["files_refused"] == 3 and body["accepted"] == 0
    assert sorted(e["code"] for e in body["errors"]) == [
        "unknown_format",
        "unreadable_file",
        "unreadable_file",
    ]
    assert body["errors_truncated"] is False


# -- silent coercions ----------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [1740787200, "1740787200", "0001-01-01", "2025-03-01T00:00:00", "2025-3-1", "20250301", 2025.0],
)
def test_occurred_at_must_be_an_iso_day_in_range(sqlite_store: Store, value: Any) -> None:
    result = Ingestor(sqlite_store).ingest_dicts([judgment_default(occurred_at=value)])
    assert [(e.code, e.message.split(":")[0]) for e in result.errors] == [
        ("malformed", "occurred_at")
    ]
    assert stored(sqlite_store) == 0


def test_a_huge_integer_is_refused_not_stored_as_a_float(sqlite_store: Store) -> None:
    huge = judgment_default(attributes={"case_no": "c", "amount": 10**30})
    exact = judgment_default(ref="r2", attributes={"case_no": "c2", "amount": 2**53 - 1})
    result = Ingestor(sqlite_store).ingest_dicts([huge, exact])
    assert [(e.line, e.code) for e in result.errors] == [(1, "schema_violation")]
    assert "attributes.amount" in result.errors[0].message
    with sqlite_store.reader() as conn:
        text = conn.execute(select(records.c.attributes)).scalar_one()
    assert json.loads(text)["amount"] == 2**53 - 1


def test_errors_beyond_the_kept_number_are_flagged_as_truncated(
    sqlite_store: Store, tmp_path: Path
) -> None:
    path = jsonl(tmp_path / "bad.jsonl", [b"not json"] * (MAX_ERRORS_KEPT + 5))
    result = ingest_file(sqlite_store, path)
    body = result.to_dict()
    assert result.rejected == MAX_ERRORS_KEPT + 5
    assert len(body["errors"]) == MAX_ERRORS_KEPT and body["errors_truncated"] is True


def test_a_parquet_footer_naming_a_column_in_bytes_that_are_no_utf8_is_refused(
    sqlite_store: Store, tmp_path: Path
) -> None:
    # found by tests/ledger/test_fuzz_ingest.py: one flipped byte in a column's name
    table = pa.Table.from_pylist([{"provider": "p", "zzzzzzzz": "x"}])
    path = tmp_path / "r.parquet"
    pq.write_table(table, path)
    data = path.read_bytes()
    path.write_bytes(data.replace(b"zzzzzzzz", b"\x9ezzzzzzz"))
    result = ingest_file(sqlite_store, path)
    assert result.accepted == 0 and [e.code for e in result.errors] == ["unreadable_file"]
    assert stored(sqlite_store) == 0
