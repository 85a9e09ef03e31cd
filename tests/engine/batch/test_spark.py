"""The batch engine on Spark (local mode) gives what it gives on DuckDB, subject by subject.

One simulated city under the shipped packs (roles through legal representatives,
repeats, decay, consent), with objections left unanswered (records suspended) and
accepted repairs added by the platform, is evaluated through the store on DuckDB and
on Spark: every assessment (scores, domain scores, grade, status) and every list entry
must be identical. Also the command line: ``export`` and ``evaluate --engine spark``.

All in one module, so that one test process starts Spark (the ``spark`` fixture).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from socialcredit.cli import app
from socialcredit.clock import FixedClock
from socialcredit.engine.batch import evaluate_snapshot
from socialcredit.engine.batch.adapters.base import UnsupportedEngine
from socialcredit.engine.model import DOMAIN_NAMES
from socialcredit.ledger.bootstrap import configured_packs, init_store
from socialcredit.ledger.policy_store import active_policy
from socialcredit.ledger.registry import read_provider_file, register_providers
from socialcredit.remedies import steps
from socialcredit.services.evaluate import evaluate_now
from socialcredit.services.ingest import ingestor
from socialcredit.settings import Settings
from socialcredit.simulate import simulate
from socialcredit.store.database import Store
from socialcredit.store.tables import list_entries, records

from support.batch import stored_assessments

pytestmark = pytest.mark.spark
NOW = "2026-03-01T02:00:00"


def _remedies(store: Store) -> tuple[list[str], list[str]]:
    """Objections left unanswered on three scored records (suspended from 17 February),
    accepted repairs of three others (from 20 February); the records' ids."""
    with store.reader() as conn:
        policy = active_policy(conn)
        scored = sorted(policy.rules_by_category)
        rows = conn.execute(
            select(records.c.id, records.c.subject, records.c.provider)
            .where(records.c.category.in_(scored), records.c.occurred_at >= dt.date(2025, 9, 1))
            .where(~records.c.withdrawn, records.c.supersedes.is_(None))
            .order_by(records.c.seq)
        ).all()
    picked: list[Any] = []
    for row in rows:
        if row.subject not in {p.subject for p in picked}:
            picked.append(row)
        if len(picked) == 6:
            break
    assert len(picked) == 6
    out = []
    for i, row in enumerate(picked[:3]):
        attrs = {
            "target": row.id,
            "grounds": "wrong",
            "evidence": "the fine was paid",
            "provider": row.provider,
            "accept_by": "2026-02-03",
            "answer_by": "2026-02-16",
            "review_by": "2026-03-31",
        }
        out.append(
            steps.step(row.subject, steps.OBJECTION_FILED, f"OBJ-{i}", dt.date(2026, 2, 1), attrs)
        )
    for i, row in enumerate(picked[3:]):
        applied = {"target": row.id, "target_kind": "record", "pledge": True}
        applied |= {"course_completed": True, "eligible_from": "2026-02-01"}
        decided = {"case": f"REP-{i}", "outcome": "accepted", "reasons": "fulfilled"}
        decided |= {"decided_by": "reviewer", "effective": "2026-02-20"}
        out.append(
            steps.step(row.subject, steps.REPAIR_APPLIED, f"REP-{i}", dt.date(2026, 2, 10), applied)
        )
        out.append(
            steps.step(
                row.subject, steps.REPAIR_DECIDED, f"REP-{i}/d", dt.date(2026, 2, 18), decided
            )
        )
    result = ingestor(store).ingest_dicts(out)
    assert result.rejected == 0, result.errors
    return [r.id for r in picked[:3]], [r.id for r in picked[3:]]


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """A thousand persons and sixty enterprises over two years, ingested on 1 March 2026."""
    root = tmp_path_factory.mktemp("spark-city")
    simulate(root / "sim", persons=1_000, enterprises=60, years=2, seed=11,
             end=dt.date(2026, 2, 27), formats=("parquet",))  # fmt: skip
    url = f"sqlite:///{root / 'store.db'}"
    store = Store(url, clock=FixedClock(NOW))
    settings = Settings(db=url)
    init_store(store, settings)
    register_providers(
        store, read_provider_file(root / "sim" / "providers.jsonl"), configured_packs(settings)
    )
    result = ingestor(store).ingest_files([root / "sim" / "records.parquet"])
    assert result.accepted > 1000
    yield store
    store.close()


def said(output: str) -> str:
    """A usage error's message without Rich's box and line breaks."""
    return " ".join(output.replace("│", " ").split())


def _entries(store: Store) -> dict[str, tuple[Any, ...]]:
    with store.reader() as conn:
        return {r.id: tuple(r) for r in conn.execute(select(list_entries))}


def test_spark_rates_every_subject_and_lists_them_as_duckdb_does(
    city: Store, spark: object, tmp_path: Path
) -> None:
    evaluate_now(city, engine="duckdb")
    unremedied = stored_assessments(city)
    suspended, repaired = _remedies(city)

    evaluate_now(city, engine="duckdb", out=tmp_path / "duckdb")
    duckdb, duckdb_entries = stored_assessments(city), _entries(city)
    result, _, _ = evaluate_now(city, engine="spark", session=spark, out=tmp_path / "spark")
    spark_rows, spark_entries = stored_assessments(city), _entries(city)

    assert result.engine == "spark"
    assert spark_rows == duckdb
    assert spark_entries == duckdb_entries
    assert len(duckdb_entries) > 0
    # the Parquet copies hold the same
    for name in ("assessments.parquet", "list_entries.parquet"):
        on_spark, on_duckdb = (
            sorted(pq.read_table(tmp_path / e / name).to_pylist(), key=repr)
            for e in ("spark", "duckdb")
        )
        assert on_spark == on_duckdb
    # what the city holds: consent refused, grades spread, rules that counted
    assert {k[1] for k in duckdb.values()} >= {"scored", "no_consent"}
    assert len({k[4] for k in duckdb.values() if k[4]}) >= 3
    assert sum(1 for k in duckdb.values() if any(k[3])) > 50
    # the suspensions and repairs changed scores, on both engines alike
    with city.reader() as conn:
        owners = {
            r.subject
            for r in conn.execute(
                select(records.c.subject).where(records.c.id.in_(suspended + repaired))
            )
        }
    changed = {s for (s, k), v in duckdb.items() if unremedied.get((s, k)) != v}
    assert changed and changed <= owners


def test_export_refuses_a_folder_that_holds_files_and_other_formats(
    city: Store, tmp_path: Path
) -> None:
    runner = CliRunner()
    db = ["--db", str(city.url)]
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    done = runner.invoke(app, [*db, "export", "--out", str(tmp_path / "full")])
    assert done.exit_code == 2 and "not an empty folder" in said(done.output)
    done = runner.invoke(app, [*db, "export", "--format", "csv", "--out", str(tmp_path / "c")])
    assert done.exit_code == 2 and "the only format is parquet" in said(done.output)


def test_an_exported_snapshot_evaluated_on_spark_to_parquet_matches_the_store(
    city: Store, spark: object, tmp_path: Path
) -> None:
    """``export`` then ``evaluate --engine spark --snapshot --out``: the Parquet holds what
    the DuckDB evaluation stored, and the store is left alone (no --store)."""
    runner = CliRunner()
    db = ["--db", str(city.url)]
    evaluate_now(city, engine="duckdb")
    stored = stored_assessments(city)
    snap, out = tmp_path / "snap", tmp_path / "out"
    done = runner.invoke(app, [*db, "export", "--format", "parquet", "--out", str(snap),
                               "--rows-per-group", "1000", "--known-at", f"{NOW}+00:00",
                               "--json"])  # fmt: skip
    assert done.exit_code == 0, done.output
    body = json.loads(done.output)
    assert body["records"] > 1000 and body["known_at"].startswith("2026-03-01T02:00")
    groups = pq.ParquetFile(snap / "records.parquet").metadata.num_row_groups
    assert groups == -(-body["records"] // 1000)  # row groups: read in parallel
    done = runner.invoke(app, [*db, "evaluate", "--engine", "spark", "--master", "local[2]",
                               "--snapshot", str(snap), "--out", str(out), "--at", f"{NOW}+00:00",
                               "--json"])  # fmt: skip
    assert done.exit_code == 0, done.output
    assert json.loads(done.output)["subjects"] == len({s for s, _ in stored})
    written = {
        (r["subject"], r["scheme"]): (
            r["scheme"], r["status"], r["score_units"],
            tuple(r[f"{d}_units"] for d in DOMAIN_NAMES), r["grade"],
        )
        for r in pq.read_table(out / "assessments.parquet").to_pylist()
    }  # fmt: skip
    assert written == stored
    assert not (out / "list_entries.parquet").exists()
    assert stored_assessments(city) == stored  # not written to the store


def test_evaluate_refuses_options_that_do_not_go_together(city: Store, tmp_path: Path) -> None:
    runner = CliRunner()
    db = ["--db", str(city.url)]
    done = runner.invoke(app, [*db, "evaluate", "--master", "local[2]"])
    assert done.exit_code == 2 and "--engine spark" in said(done.output)
    done = runner.invoke(app, [*db, "evaluate", "--no-store"])
    assert done.exit_code == 2 and "needs --out" in said(done.output)
    done = runner.invoke(app, [*db, "evaluate", "--snapshot", str(tmp_path), "--known-at",
                               "2026-01-01"])  # fmt: skip
    assert done.exit_code == 2 and "own transaction time" in said(done.output)


def test_an_unknown_engine_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UnsupportedEngine, match="duckdb, spark"):
        evaluate_snapshot(tmp_path, None, dt.datetime(2026, 3, 1), engine="flink")  # type: ignore[arg-type]


def test_spark_that_cannot_start_is_an_error_naming_the_master(city: Store, tmp_path: Path) -> None:
    """No Java where JAVA_HOME says: the command fails with Spark's reason, not a trace."""
    env = {**os.environ, "JAVA_HOME": str(tmp_path / "no-java")}
    done = subprocess.run(
        [sys.executable, "-m", "socialcredit.cli", "--db", str(city.url), "evaluate", "--engine",
         "spark", "--master", "local[1]", "--out", str(tmp_path / "out")],
        env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode != 0
    assert "Spark could not start on 'local[1]'" in done.stdout + done.stderr
    assert not (tmp_path / "out" / "assessments.parquet").exists()
