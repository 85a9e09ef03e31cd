"""A snapshot of some categories only: their records and links, every subject, and the
day each record was reported."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow.parquet as pq

from socialcredit.engine.batch.snapshot import export_snapshot, read_snapshot
from socialcredit.store.database import Store

from support.supervision import INST_A, INST_B, MARKET_A, ingest, penalty, setup, units


def test_only_the_records_of_the_categories_asked_for(store: Store, tmp_path: Path) -> None:
    setup(store)
    ingest(store, *units(), penalty(MARKET_A, "荣罚1", "2025-03-03", reported="2025-03-05"))
    now = store.clock.now()
    whole = export_snapshot(store, tmp_path / "whole", now)
    offices = export_snapshot(store, tmp_path / "offices", now, categories=["registry.office"])
    assert (whole.records, whole.record_links) == (9, 4)
    assert (offices.records, offices.record_links) == (4, 4)
    assert offices.subjects == whole.subjects  # every subject, whatever its records
    rows = pq.read_table(offices.path("records")).to_pylist()
    assert {r["category"] for r in rows} == {"registry.office"}
    links = pq.read_table(offices.path("record_links")).to_pylist()
    assert sorted(link["target"] for link in links) == sorted([INST_A, INST_A, INST_A, INST_B])
    assert read_snapshot(tmp_path / "offices") == offices
    fines = export_snapshot(
        store, tmp_path / "fines", now, categories=["market.administrative_penalty"]
    )
    [fine] = pq.read_table(fines.path("records")).to_pylist()
    assert fine["reported_at"] == dt.date(2025, 3, 5)


def test_without_attributes_only_the_attributes_are_left_out(store: Store, tmp_path: Path) -> None:
    setup(store)
    ingest(store, *units(), penalty(MARKET_A, "荣罚1", "2025-03-03", reported="2025-03-05"))
    now = store.clock.now()
    full = export_snapshot(store, tmp_path / "full", now, tables=["records"])
    bare = export_snapshot(store, tmp_path / "bare", now, tables=["records"], attributes=False)
    rows = pq.read_table(full.path("records")).to_pylist()
    slim = pq.read_table(bare.path("records")).to_pylist()
    assert any(r["attributes"] != "{}" for r in rows)
    assert [r["attributes"] for r in slim] == ["{}"] * len(rows)
    assert [{**r, "attributes": "{}"} for r in rows] == slim
    assert (bare.records, bare.subjects, bare.record_links) == (9, 0, 0)
