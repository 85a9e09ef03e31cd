"""``socialcredit resolve``: resolve the records without identifiers, list the review
queue, confirm and reject; the refusals."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from socialcredit.cli import app
from socialcredit.errors import InvalidOption, NotFound
from socialcredit.services.ingest import ingestor
from socialcredit.store.database import Store

from support.resolution import LI, city, hinted, person


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
