"""The batch engine at scale: snapshots written part by part, the benchmark ledger generated
in parts, the memory budget DuckDB gets, and a query that keeps nothing the size of the
ledger for several readers."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from benchmarks import batch_data
from benchmarks.batch_policy import bench_policy
from sqlglot import exp

from socialcredit.engine.batch import (
    OUTPUT_COLUMNS,
    SCORE_COLUMNS,
    SnapshotWriter,
    compile_policy,
    evaluate_snapshot,
    read_snapshot,
)
from socialcredit.engine.batch.adapters.duckdb_adapter import DuckDBAdapter
from socialcredit.engine.batch.adapters.duckdb_execute import (
    connect,
    duckdb_memory_limit,
    run_query,
    size_bytes,
)
from socialcredit.engine.batch.adapters.spark import SparkAdapter
from socialcredit.engine.batch.snapshot import SCHEMAS

from support.packs import VIA, make_policy

KNOWN_AT = dt.datetime(2026, 3, 1, 4)
HANDWRITTEN = Path(batch_data.__file__).with_name("batch_handwritten.sql")


def _records(seqs: range, subject: str) -> pa.Table:
    return pa.Table.from_pylist(
        [
            {
                "seq": s,
                "id": f"{s:032d}",
                "provider": "p",
                "subject": subject,
                "category": "test.offence",
                "occurred_at": dt.date(2026, 1, 1),
                "recorded_at": dt.datetime(2026, 1, 2),
                "attributes": "{}",
                "supersedes": None,
                "withdrawn": False,
            }
            for s in seqs
        ]
    )


# -- writing a snapshot part by part ------------------------------------------------------


def test_a_snapshot_written_in_parts_is_their_union(tmp_path: Path) -> None:
    subjects = [
        pa.table({"id": [who], "kind": ["person"], "jurisdiction": ["371082"]})
        for who in ("a", "b")
    ]
    with SnapshotWriter(tmp_path, KNOWN_AT) as writer:
        writer.write({"records": _records(range(1, 4), "a"), "subjects": subjects[0]})
        writer.write({"records": _records(range(4, 6), "b"), "subjects": subjects[1]})
    snap = writer.snapshot()
    assert (snap.records, snap.subjects, snap.record_links) == (5, 2, 0)
    assert read_snapshot(tmp_path) == snap
    for name, schema in SCHEMAS.items():
        assert pq.read_schema(tmp_path / f"{name}.parquet") == schema
    records = pq.read_table(tmp_path / "records.parquet")
    assert records["seq"].to_pylist() == [1, 2, 3, 4, 5]
    assert set(records["ref"].to_pylist()) == {""}  # no ref column given: empty refs
    assert pq.read_table(tmp_path / "record_links.parquet").num_rows == 0


def test_a_snapshot_writer_writes_only_inside_its_block(tmp_path: Path) -> None:
    writer = SnapshotWriter(tmp_path, KNOWN_AT)
    with pytest.raises(RuntimeError):
        writer.write({"records": _records(range(1, 2), "a")})
    with pytest.raises(RuntimeError):
        writer.snapshot()
    with pytest.raises(ValueError, match="not snapshot tables"), writer:
        writer.write({"assessments": pa.table({"x": [1]})})
    assert not (tmp_path / "snapshot.json").exists()  # no manifest for a failed snapshot


# -- the benchmark ledger, generated in parts ----------------------------------------------


def test_parts_hold_the_records_asked_for() -> None:
    assert batch_data.parts(10, 4) == [4, 3, 3]
    assert batch_data.parts(5, 4) == [3, 2]
    assert batch_data.parts(4, 4) == [4]
    assert batch_data.parts(100_000_000) == [5_000_000] * 20


def test_a_ledger_in_parts_is_one_ledger_of_disjoint_parts(tmp_path: Path) -> None:
    snap = batch_data.write(tmp_path / "all", 6_000, part=2_000)
    records = pq.read_table(tmp_path / "all" / "records.parquet")
    subjects = pq.read_table(tmp_path / "all" / "subjects.parquet")
    links = pq.read_table(tmp_path / "all" / "record_links.parquet")
    assert (snap.records, snap.subjects, snap.record_links) == (
        records.num_rows,
        subjects.num_rows,
        links.num_rows,
    )
    # seq and id unique and increasing across parts, ids as the store writes them
    seq = records["seq"].to_pylist()
    assert seq == list(range(1, len(seq) + 1))
    assert records["id"].to_pylist() == [f"{s:032d}" for s in seq]
    # subjects unique across parts, in the identifier formats
    ids = subjects["id"].to_pylist()
    assert len(set(ids)) == len(ids)
    kinds = dict(zip(ids, subjects["kind"].to_pylist(), strict=True))
    assert all(
        re.fullmatch(r"\d{18}" if kind == "person" else r"91\d{16}", who)
        for who, kind in kinds.items()
    )
    assert set(records["subject"].to_pylist()) <= set(ids)
    assert set(links["target"].to_pylist()) <= set(ids)
    # a correction or withdrawal replaces an earlier record of its own subject and part
    part_of = {}
    tables = list(batch_data.generate_parts(6_000, part=2_000))
    assert len(tables) == 3
    for k, part in enumerate(tables):
        part_of |= dict.fromkeys(part["subjects"]["id"].to_pylist(), k)
    by_id = {r["id"]: r for r in records.select(["seq", "id", "subject"]).to_pylist()}
    fixes = records.filter(pc.is_valid(records["supersedes"])).to_pylist()
    assert fixes
    for fix in fixes:
        old = by_id[fix["supersedes"]]
        assert old["seq"] < fix["seq"] and old["subject"] == fix["subject"]
    assert {part_of[s] for s in ids} == {0, 1, 2}
    # the parts are independent: the whole evaluates as the union of its parts
    at = batch_data.AT
    whole = _rows(evaluate_snapshot(tmp_path / "all", bench_policy(), at))
    union: list[tuple[object, ...]] = []
    with SnapshotWriter(tmp_path / "again", at) as writer:
        for part in tables:
            writer.write(part)
    assert _rows(evaluate_snapshot(tmp_path / "again", bench_policy(), at)) == whole
    for k, part in enumerate(tables):
        with SnapshotWriter(tmp_path / f"part{k}", at) as writer:
            writer.write(part)
        union += _rows(evaluate_snapshot(tmp_path / f"part{k}", bench_policy(), at))
    assert sorted(union) == whole
    assert len(whole) > subjects.num_rows  # two schemes
    # and the hand-written benchmark query agrees with the engine's scores on it
    scores = _rows(evaluate_snapshot(tmp_path / "all", bench_policy(), at), SCORE_COLUMNS)
    sql = HANDWRITTEN.read_text(encoding="utf-8").format(
        records=tmp_path / "all" / "records.parquet",
        subjects=tmp_path / "all" / "subjects.parquet",
        day=batch_data.END.isoformat(),
        known_at=at.isoformat(sep=" "),
    )
    con = connect()
    try:
        assert _rows(run_query(con, sql), SCORE_COLUMNS) == scores
    finally:
        con.close()


def _rows(table: pa.Table, names: tuple[str, ...] = OUTPUT_COLUMNS) -> list[tuple[object, ...]]:
    columns = [table[c].to_pylist() for c in names]
    return sorted(zip(*columns, strict=True), key=lambda r: (r[0], r[1]))


# -- memory ----------------------------------------------------------------------------------


def test_memory_sizes_read_as_duckdb_reads_them() -> None:
    assert size_bytes("8GB") == 8 * 10**9
    assert size_bytes("512MiB") == 512 * 2**20
    assert size_bytes("1.5 gb") == 1_500_000_000
    assert size_bytes("667.5 MiB") == int(667.5 * 2**20)
    for bad in ("lots", "8", "8 parsecs", ""):
        with pytest.raises(ValueError, match="not a memory size"):
            size_bytes(bad)


def test_duckdb_gets_its_share_of_the_budget() -> None:
    """The rest of the budget is for the interpreter and the result, which DuckDB does
    not count: the process as a whole stays within the budget."""
    assert duckdb_memory_limit("8GB") == "5200MB"
    con = connect(memory_limit="1GB")
    try:
        (limit,) = con.sql("SELECT current_setting('memory_limit')").fetchall()[0]
    finally:
        con.close()
    assert abs(size_bytes(limit) - 650 * 10**6) < 10**6


def test_the_query_keeps_nothing_the_size_of_the_ledger_for_several_readers() -> None:
    """DuckDB keeps a CTE several readers share: the CTEs with a row per record are marked
    to be computed for each reader instead (the few records that end matches, give roles
    and consent are kept, so that the ledger is read for them once), and the steps from the
    matches on read each CTE before them once, so that DuckDB streams them rather than keep
    them."""
    policy = make_policy(VIA.replace("points: -10}", "points: -10, repeat: {multiplier: 2}}"))
    at = dt.datetime(2026, 3, 1, 4)
    tree = compile_policy(policy, DuckDBAdapter(Path("/snap")), at).expression
    kept = {cte.alias: cte.args.get("materialized") for cte in tree.find_all(exp.CTE)}
    assert {name for name, how in kept.items() if how is False} == {"current_records", "eff"}
    assert {name for name, how in kept.items() if how} == {"support"}  # enders and roles
    reads = Counter(table.name for table in tree.find_all(exp.Table))
    assert reads["matched"] == reads["timed"] == reads["ranked"] == 1
    assert "MATERIALIZED" not in compile_policy(policy, SparkAdapter(Path("/snap")), at).sql
