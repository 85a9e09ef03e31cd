"""Entity resolution on Spark: a model trained on one engine runs on the other with the
same evidence, and a small simulated city resolves to the same links on both."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from socialcredit.cli import app
from socialcredit.errors import InvalidOption
from socialcredit.resolution.matcher import for_dialect
from socialcredit.resolution.models import latest_model, save_model
from socialcredit.resolution.resolve import resolve, settings_now
from socialcredit.services.ingest import ingestor
from socialcredit.store.database import Store
from socialcredit.store.tables import hinted_records

from support.resolution import trained


def conditions(model: dict[str, Any]) -> list[list[tuple[Any, ...]]]:
    return [
        [
            (lv["sql_condition"], lv.get("m_probability"), lv.get("u_probability"))
            for lv in c["comparison_levels"]
        ]
        for c in model["comparisons"]
    ]


def test_a_model_is_rewritten_for_the_engine_it_runs_on() -> None:
    """DuckDB quotes names with double quotes, which Spark reads as string literals
    (every comparison would silently disagree): each level is regenerated in the
    engine's SQL, its m and u kept."""
    model = trained()
    spark = for_dialect(model, "spark")
    assert spark["sql_dialect"] == "spark"
    sql = [lv[0] for c in conditions(spark) for lv in c]
    assert '"' not in " ".join(str(s) for s in sql)
    assert any("jaro_winkler(" in str(s) for s in sql)  # Spark's name for the UDF
    assert [[lv[1:] for lv in c] for c in conditions(spark)] == [
        [lv[1:] for lv in c] for c in conditions(model)
    ]
    assert conditions(for_dialect(spark, "duckdb")) == conditions(model)
    assert for_dialect(model, "duckdb") is model


def test_a_model_of_other_comparisons_is_refused() -> None:
    model = trained()
    changed = model | {"comparisons": [
        c | {"comparison_levels": c["comparison_levels"][:-1]} for c in model["comparisons"]
    ]}  # fmt: skip
    with pytest.raises(InvalidOption, match="train a new model version"):
        for_dialect(changed, "spark")


def test_an_unknown_engine_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidOption, match="not one of duckdb, spark"):
        CliRunner().invoke(
            app, ["--db", f"sqlite:///{tmp_path / 'x.db'}", "resolve", "--engine", "polars"],
            catch_exceptions=False,
        )  # fmt: skip


@pytest.fixture
def local_spark() -> Iterator[None]:
    pytest.importorskip("pyspark")
    if shutil.which("java") is None:
        pytest.skip("Spark needs Java")
    from socialcredit.resolution import spark

    yield
    spark.stop()


def links(db: str) -> dict[str, tuple[str, str | None]]:
    store = Store(db)
    try:
        with store.reader() as conn:
            rows = conn.execute(
                select(hinted_records.c.id, hinted_records.c.status, hinted_records.c.subject)
            ).all()
    finally:
        store.close()
    return {r.id: (r.status, r.subject) for r in rows}


@pytest.mark.spark
@pytest.mark.slow
def test_a_simulated_city_resolves_to_the_same_links_on_duckdb_and_spark(
    tmp_path: Path, local_spark: None
) -> None:
    city, first = tmp_path / "city", tmp_path / "duck.db"
    runner = CliRunner()
    for args in (
        ["simulate", "--persons", "1000", "--enterprises", "20", "--years", "1", "--seed", "5",
         "--end", "2026-06-30", "--format", "parquet", "--hinted", "0.5", "--out", str(city)],
        ["--db", f"sqlite:///{first}", "init"],
        ["--db", f"sqlite:///{first}", "providers", "register", str(city / "providers.jsonl")],
        ["--db", f"sqlite:///{first}", "ingest", str(city / "records.parquet")],
    ):  # fmt: skip
        assert runner.invoke(app, args).exit_code in (0, 2)
    second = tmp_path / "spark.db"
    with sqlite3.connect(first) as src, sqlite3.connect(second) as dst:
        src.backup(dst)  # the same ledger, nothing resolved yet (the WAL's pages too)
    duck, on_spark = Store(f"sqlite:///{first}"), Store(f"sqlite:///{second}")
    try:
        done = resolve(duck, ingestor(duck), settings_now(duck))  # trains the model
        model = latest_model(duck)
        assert model is not None and done.linked > 0 and done.review > 0
        save_model(on_spark, model.model, model.persons, model.hinted)
        spark_done = resolve(on_spark, ingestor(on_spark), settings_now(on_spark),
                             engine="spark")  # fmt: skip
    finally:
        duck.close()
        on_spark.close()
    assert spark_done.scored == done.scored > 0
    assert (spark_done.linked, spark_done.review, spark_done.unlinked) == (
        done.linked, done.review, done.unlinked,
    )  # fmt: skip
    assert links(f"sqlite:///{second}") == links(f"sqlite:///{first}")
    by_id = {d.hinted: d.probability for d in done.decisions}
    for d in spark_done.decisions:
        assert d.probability == pytest.approx(by_id[d.hinted], abs=1e-6)
