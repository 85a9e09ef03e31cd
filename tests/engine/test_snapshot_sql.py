"""Analytic SQL over a snapshot: the views are the snapshot's tables, parameters are bound."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa

from socialcredit.engine.batch.adapters.snapshot_sql import query_snapshot
from socialcredit.engine.batch.snapshot import SCHEMAS, write_snapshot

CASE = "judicial.case_decision"


def _row(seq: int, provider: str, category: str, withdrawn: bool) -> dict[str, object]:
    return {
        "seq": seq,
        "id": f"r{seq}",
        "provider": provider,
        "ref": f"x{seq}",
        "subject": "P1",
        "category": category,
        "occurred_at": dt.date(2026, 1, seq),
        "recorded_at": dt.datetime(2026, 1, seq, 12),
        "attributes": "{}",
        "supersedes": None,
        "withdrawn": withdrawn,
    }


def test_counts_records_by_category_with_bound_parameters(tmp_path: Path) -> None:
    rows = [
        _row(1, "court", CASE, False),
        _row(2, "court", CASE, False),
        _row(3, "court", CASE, True),
        _row(4, "tax", "tax.late_filing", False),
    ]
    records = pa.Table.from_pylist(rows, SCHEMAS["records"])
    snap = write_snapshot(tmp_path, dt.datetime(2026, 2, 1), {"records": records})
    got = query_snapshot(
        snap,
        "SELECT category, count(*) AS n FROM records WHERE NOT withdrawn AND provider = ? "
        "GROUP BY category",
        ["court"],
    )
    assert got.to_pylist() == [{"category": CASE, "n": 2}]
    assert query_snapshot(snap, "SELECT count(*) AS n FROM subjects").to_pylist() == [{"n": 0}]


def test_a_snapshot_in_a_folder_whose_name_has_a_quote_is_read(tmp_path: Path) -> None:
    records = pa.Table.from_pylist([_row(1, "court", CASE, False)], SCHEMAS["records"])
    snap = write_snapshot(tmp_path / "it's here", dt.datetime(2026, 2, 1), {"records": records})
    got = query_snapshot(snap, "SELECT id FROM records")
    assert got.to_pylist() == [{"id": "r1"}]
