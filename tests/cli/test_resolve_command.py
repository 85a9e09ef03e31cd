"""``socialcredit resolve``: resolve the records without identifiers, list the review
queue, confirm and reject; the refusals."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from socialcredit.cli import app
from socialcredit.errors import InvalidOption, NotFound
from socialcredit.services.ingest import ingestor
from socialcredit.simulate.hinted import TRUTH_FILE
from socialcredit.store.database import Store
from socialcredit.store.tables import hinted_records

from support.resolution import LI, ZHANG, city, hinted, person


def run(db: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["--db", db, "resolve", *args], catch_exceptions=False)
    return result.exit_code, result.stdout + (result.stderr or "")


def fill(store: Store) -> None:
    city(store)
    got = ingestor(store).ingest_dicts([
        hinted("H-1", name="張偉", birth_date="1990-05-12", area="371082",
               address="371082街道12号"),
        hinted("H-2", name="Li Na", birth_date="1990-03-02"),
        hinted("H-3", name="欧阳修", birth_date="1961-07-07", area="371002"),
    ])  # fmt: skip
    assert got.accepted == 3


def test_resolve_counts_then_the_queue_then_confirm(sqlite_store: Store) -> None:
    fill(sqlite_store)
    db = sqlite_store.url
    code, out = run(db)
    assert code == 0, out
    assert "linked 1 (from 0.99), review 1 (from 0.8), unlinked 1" in out
    code, out = run(db, "--json")  # nothing left waiting but the unlinked one
    assert json.loads(out)["scored"] == 1

    code, out = run(db, "--review", "--json")
    [queued] = json.loads(out)
    assert queued["ref"] == "H-2" and queued["hint"]["name"] == "Li Na"
    code, out = run(db, "--review")
    assert "1 record(s) waiting for a reviewer" in out

    shown = CliRunner().invoke(app, ["--db", db, "report", ZHANG])
    assert shown.exit_code == 0, shown.output
    assert "linked by matching" in shown.stdout and "no (grounds no list)" in shown.stdout
    assert f"not you? socialcredit objections file {ZHANG}" in shown.stdout

    code, out = run(db, "confirm", queued["id"], "--by", "reviewer.wang")
    assert code == 0 and f"linked to {queued['candidate']}" in out
    code, out = run(db, "--review", "--json")
    assert json.loads(out) == []
    # the hinted records, the model version and the links all verify in the audit chain
    verified = CliRunner().invoke(app, ["--db", db, "audit", "verify"])
    assert verified.exit_code == 0, verified.output


def test_reject_keeps_the_record_unlinked(sqlite_store: Store) -> None:
    fill(sqlite_store)
    db = sqlite_store.url
    run(db)
    [queued] = json.loads(run(db, "--review", "--json")[1])
    code, out = run(db, "reject", queued["id"], "--by", "reviewer.wang")
    assert code == 0 and "counts nowhere" in out
    with pytest.raises(InvalidOption, match="not in review"):
        run(db, "reject", queued["id"], "--by", "reviewer.wang")
    with pytest.raises(InvalidOption, match="only a record in review"):
        run(db, "confirm", queued["id"], "--by", "reviewer.wang")


def test_an_unknown_record_is_refused(sqlite_store: Store) -> None:
    with pytest.raises(NotFound, match="no record without identifier"):
        run(sqlite_store.url, "confirm", "nope", "--by", "reviewer.wang")


def test_nothing_to_resolve(sqlite_store: Store) -> None:
    code, out = run(sqlite_store.url)
    assert code == 0, out
    assert "linked 0" in out and "unlinked 0" in out


def test_a_model_is_not_estimated_on_a_tiny_registry(sqlite_store: Store) -> None:
    person(sqlite_store, LI, "李娜", "1990-03-02", "371082", "371082街道7号")
    ingestor(sqlite_store).ingest_dicts([hinted("H-2", name="Li Na", birth_date="1990-03-02")])
    with pytest.raises(InvalidOption, match="at least 1000"):
        run(sqlite_store.url, "--train")
    _code, out = run(sqlite_store.url, "--review", "--json")
    assert json.loads(out) == []  # nothing decided


def test_a_simulated_city_with_hinted_records_end_to_end(tmp_path: Path) -> None:
    """simulate --hinted, init, register, ingest, resolve: every record without
    identifier is linked, queued or left unlinked, and no automatic link is wrong."""
    city_dir, db = tmp_path / "city", f"sqlite:///{tmp_path / 'city.db'}"
    runner = CliRunner()
    for args in (
        ["simulate", "--persons", "1000", "--enterprises", "50", "--years", "1", "--seed", "3",
         "--end", "2026-06-30", "--format", "parquet", "--hinted", "0.5", "--out", str(city_dir)],
        ["--db", db, "init"],
        ["--db", db, "providers", "register", str(city_dir / "providers.jsonl")],
        ["--db", db, "ingest", str(city_dir / "records.parquet")],
    ):  # fmt: skip
        done = runner.invoke(app, args)
        # the simulator's few invalid records are refused by design; no hinted one is
        assert done.exit_code in (0, 2) and "hint_not_allowed" not in done.output, (
            done.exit_code,
            done.output,
        )
    code, out = run(db, "--json")
    assert code == 0, out
    counts = json.loads(out)
    truth = {t["id"]: t["subject"] for t in pq.read_table(city_dir / TRUTH_FILE).to_pylist()}
    assert counts["scored"] == counts["linked"] + counts["review"] + counts["unlinked"]
    assert counts["linked"] > 0 and counts["review"] > 0 and counts["scored"] <= len(truth)
    store = Store(db)
    try:
        with store.reader() as conn:
            links = conn.execute(
                select(hinted_records.c.id, hinted_records.c.subject).where(
                    hinted_records.c.status == "linked")
            ).all()  # fmt: skip
    finally:
        store.close()
    assert all(truth[rid] == subject for rid, subject in links)
