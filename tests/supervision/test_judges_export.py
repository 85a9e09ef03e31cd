"""The judges' report exports only the records about the subjects the decisions name
(their judges, courts and defendants), and it is the report the whole ledger's snapshot
gives: on hand-made courts with repeat offenders and on a small simulated city."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from socialcredit.clock import FixedClock
from socialcredit.engine.batch.snapshot import INLINE, export_snapshot
from socialcredit.ledger.bootstrap import configured_packs, init_store
from socialcredit.ledger.ingest import Ingestor
from socialcredit.ledger.policy_store import policy_at
from socialcredit.ledger.registry import read_provider_file, register_providers
from socialcredit.policy.supervision import effective
from socialcredit.settings import Settings
from socialcredit.simulate import simulate
from socialcredit.store.database import Store
from socialcredit.supervision.decisions import CATEGORY, READ, read_decisions
from socialcredit.supervision.judges import analyse, supervise_judges

from support.judges import JUDGES, breach, defendant, ingest_now, recidivist_system

STRANGER = defendant(7, 0)  # named by no decision


def _whole_ledger_report(store: Store, folder: Path) -> dict[str, Any]:
    """The report as it was made before: from the whole ledger's snapshot."""
    at = store.clock.now()
    with store.reader() as conn:
        policy, _ = policy_at(conn, at)
    conduct = sorted(n for n, c in policy.catalogue.categories.items() if c.kind == "conduct")
    decisions = read_decisions(export_snapshot(store, folder, at), conduct)
    return _comparable(analyse(decisions, effective(policy.packs), known_at=at).to_dict())


def _comparable(report: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in report.items() if k not in ("seconds", "export_seconds")}


def test_only_the_named_subjects_records_are_exported(store: Store, tmp_path: Path) -> None:
    recidivist_system(store)
    ingest_now(store, breach(STRANGER, 0))
    snap = export_snapshot(store, tmp_path, store.clock.now(), about=READ, tables=("records",))
    rows = pq.read_table(snap.path("records")).to_pylist()
    subjects = {r["subject"] for r in rows}
    assert STRANGER not in subjects
    assert {defendant(0, 3), *JUDGES[:6]} <= subjects  # 3 earlier records
    assert sum(r["category"] == CATEGORY for r in rows) == 6 * 40
    assert any(r["category"] == "judicial.civil_breach" for r in rows)  # the priors
    assert (snap.subjects, snap.record_links) == (0, 0)  # tables not asked for


def test_the_report_is_the_whole_ledgers_report(store: Store, tmp_path: Path) -> None:
    recidivist_system(store)
    ingest_now(store, breach(STRANGER, 0))
    # a defendant's earlier record withdrawn: the withdrawal is about the same subject,
    # so it comes with the record and the prior no longer counts
    first = breach(defendant(1, 0), 0)
    ingest_now(
        store,
        {**first, "ref": first["ref"] + "-w", "supersedes": first["ref"], "withdrawn": True},
    )
    report = supervise_judges(store)
    assert _comparable(report.to_dict()) == _whole_ledger_report(store, tmp_path)
    assert report.export_seconds > 0


def test_many_subjects_go_to_the_store_in_a_temporary_table(store: Store, tmp_path: Path) -> None:
    recidivist_system(store)
    at = store.clock.now()
    few = {defendant(j, n) for j in range(2) for n in range(5)}
    many = few | {f"X{k:017d}" for k in range(INLINE + 1)}  # named, about no record
    inline = export_snapshot(store, tmp_path / "inline", at, about=few)
    temporary = export_snapshot(store, tmp_path / "temporary", at, about=many)
    for table in ("records", "subjects", "record_links"):
        assert pq.read_table(inline.path(table)).equals(pq.read_table(temporary.path(table)))
    assert inline.records > 0
    # the temporary table is dropped with the export: the next one on the store works
    again = export_snapshot(store, tmp_path / "again", at, about=many)
    assert again.records == inline.records


def test_unknown_tables_are_refused(sqlite_store: Store, tmp_path: Path) -> None:
    try:
        export_snapshot(sqlite_store, tmp_path, sqlite_store.clock.now(), tables=["people"])
    except ValueError as exc:
        assert "people" in str(exc)
    else:
        raise AssertionError("an unknown table was accepted")


def test_on_a_simulated_city_the_report_is_the_whole_ledgers(tmp_path: Path) -> None:
    end = dt.date(2025, 12, 31)
    simulate(tmp_path / "city", persons=1000, enterprises=100, years=1, seed=4, end=end,
             formats=("parquet",))  # fmt: skip
    settings = Settings(db=f"sqlite:///{tmp_path / 'store.db'}")
    store = Store(settings.db, clock=FixedClock(dt.datetime(2025, 12, 31, 23)))
    try:
        init_store(store, settings)
        providers = read_provider_file(tmp_path / "city" / "providers.jsonl")
        register_providers(store, providers, configured_packs(settings))
        Ingestor(store).ingest_files([tmp_path / "city" / "records.parquet"])
        report = supervise_judges(store)
        assert len(report.decisions) > 100 and report.fits
        assert _comparable(report.to_dict()) == _whole_ledger_report(store, tmp_path / "whole")
    finally:
        store.close()
