"""The SQL the batch compiler writes, exactly, per dialect; and DuckDB's arithmetic
against the Python definitions it must match bit for bit."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlglot
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlglot import exp

from socialcredit.engine.batch import compile_policy
from socialcredit.engine.batch.adapters.base import attr_columns
from socialcredit.engine.batch.adapters.duckdb_adapter import DuckDBAdapter
from socialcredit.engine.batch.adapters.duckdb_execute import connect
from socialcredit.engine.batch.adapters.spark import SparkAdapter
from socialcredit.engine.batch.predicates import compile_predicate
from socialcredit.engine.batch.sql import double
from socialcredit.engine.model import DOMAIN_NAMES, to_units
from socialcredit.policy.rules import Rule

from support.packs import VIA, make_policy

DUCK = DuckDBAdapter(Path("/snap"))
SPARK = SparkAdapter(Path("/snap"))


def predicate_sql(when: dict[str, object], dialect: str) -> str:
    rule = Rule.model_validate(
        {"id": "r", "scheme": "s", "category": "c", "points": 1, "when": when}
    )
    return compile_predicate(rule.when, lambda name: attr_columns(7)).sql(dialect=dialect)


@pytest.mark.parametrize(
    ("when", "duckdb", "spark"),
    [
        (
            {"attr": "amount", "gt": 100},
            "COALESCE(a7_t IN ('n', 'b') AND a7_n > CAST('100.0' AS DOUBLE), FALSE)",
            "COALESCE(a7_t IN ('n', 'b') AND a7_n > CAST('100.0' AS DOUBLE), FALSE)",
        ),
        (
            {"not": {"attr": "level", "eq": "high"}},
            "NOT (COALESCE(a7_t = 's' AND a7_s = 'high', FALSE))",
            "NOT (COALESCE(a7_t = 's' AND a7_s = 'high', FALSE))",
        ),
        (
            {"attr": "level", "in": ["low", 2]},
            "COALESCE((a7_t = 's' AND a7_s = 'low') OR (a7_t IN ('n', 'b') AND "
            "a7_n = CAST('2.0' AS DOUBLE)), FALSE)",
            "COALESCE((a7_t = 's' AND a7_s = 'low') OR (a7_t IN ('n', 'b') AND "
            "a7_n = CAST('2.0' AS DOUBLE)), FALSE)",
        ),
        (
            {"attr": "note", "ne": "it's"},
            "COALESCE((NOT a7_t IS NULL AND a7_t <> 'z') AND NOT (a7_t = 's' AND a7_s = 'it''s'),"
            " FALSE)",
            # Spark escapes quotes with a backslash
            "COALESCE((NOT a7_t IS NULL AND a7_t <> 'z') AND NOT (a7_t = 's' AND a7_s = 'it\\'s'),"
            " FALSE)",
        ),
        (
            {"any": [{"attr": "flag", "exists": False}, {"attr": "day", "lte": "2025-01-01"}]},
            "(COALESCE(NOT (NOT a7_t IS NULL AND a7_t <> 'z'), FALSE)) OR "
            "(COALESCE(a7_t = 's' AND a7_s <= '2025-01-01', FALSE))",
            "(COALESCE(NOT (NOT a7_t IS NULL AND a7_t <> 'z'), FALSE)) OR "
            "(COALESCE(a7_t = 's' AND a7_s <= '2025-01-01', FALSE))",
        ),
    ],
)
def test_predicates_render_per_dialect(when: dict[str, object], duckdb: str, spark: str) -> None:
    assert predicate_sql(when, "duckdb") == duckdb
    assert predicate_sql(when, "spark") == spark


def test_date_arithmetic_is_the_adapters() -> None:
    day, days = exp.column("occurred_at"), exp.column("e")
    assert DUCK.add_days(day, days).sql("duckdb") == "occurred_at + CAST(e AS INT)"
    assert SPARK.add_days(day, days).sql("spark") == "DATE_ADD(occurred_at, e)"
    d = DUCK.date("2026-03-01")
    assert DUCK.days_between(day, d).sql("duckdb") == ("(CAST('2026-03-01' AS DATE) - occurred_at)")
    assert SPARK.days_between(day, SPARK.date("2026-03-01")).sql("spark") == (
        "DATEDIFF(CAST('2026-03-01' AS DATE), occurred_at)"
    )


def test_sources_are_the_adapters() -> None:
    assert DUCK.source("records").sql("duckdb") == "READ_PARQUET('/snap/records.parquet')"
    assert SPARK.source("records").sql("spark") == "parquet.`/snap/records.parquet`"
    named = DuckDBAdapter(tables={"records": "recs"})
    assert named.source("records").sql("duckdb") == "recs"


ASSESSMENT_COLUMNS = [
    "subject",
    "scheme",
    "status",
    "score_units",
    *(f"{d}_units" for d in DOMAIN_NAMES),
    "grade",
    "area",  # where the subject's registry records place it (NULL: nowhere)
]


def _bare(table: exp.Table, adapter: DuckDBAdapter | SparkAdapter) -> str:
    """A table's source as the dialect writes it, without its alias."""
    bare = table.copy()
    bare.set("alias", None)
    return bare.sql(adapter.dialect)


@pytest.mark.parametrize(
    ("adapter", "records", "subjects"),
    [
        (DUCK, "READ_PARQUET('/snap/records.parquet')", "READ_PARQUET('/snap/subjects.parquet')"),
        (SPARK, "parquet.`/snap/records.parquet`", "parquet.`/snap/subjects.parquet`"),
    ],
)
def test_the_whole_query_parses_back_to_itself_in_each_dialect(
    adapter: DuckDBAdapter | SparkAdapter, records: str, subjects: str
) -> None:
    compiled = compile_policy(make_policy(VIA), adapter, dt.datetime(2026, 3, 1, 4))
    tree = sqlglot.parse_one(compiled.sql, read=adapter.dialect)
    assert tree.sql(adapter.dialect) == compiled.expression.sql(adapter.dialect)
    assert tree.named_selects == ASSESSMENT_COLUMNS  # one row per subject and scheme
    steps = {cte.alias for cte in tree.find_all(exp.CTE)}
    read = {_bare(t, adapter) for t in tree.find_all(exp.Table) if t.name not in steps}
    assert read == {records, subjects}  # the snapshot's two files, nothing else


def test_spark_sql_is_rendered_but_not_run() -> None:
    assert "execute" in DUCK.supports
    assert "execute" not in SPARK.supports  # rendered today; run on Spark later


def test_no_decimal_literals_reach_duckdb() -> None:
    """Decimal literals are slow in DuckDB and not the doubles the rules say."""
    policy = make_policy(VIA.replace("points: -5", "points: -5.25, decay: {half_life_days: 9.5}"))
    tree = compile_policy(policy, DUCK, dt.datetime(2026, 3, 1)).expression
    numbers = [lit.this for lit in tree.find_all(exp.Literal) if not lit.is_string]
    assert numbers and all(n.lstrip("-").isdigit() for n in numbers)


# -- DuckDB's arithmetic is Python's ------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.lists(st.floats(-1e9, 1e9, allow_nan=False), min_size=1, max_size=50))
def test_units_round_exactly_as_to_units(values: list[float]) -> None:
    values = [*values, 0.00005, -0.00005, 0.000049999, 2.50005, -2.50005]
    con = connect(threads=1)
    x = "x"
    sql = (
        f"SELECT {x}, CAST(SIGN({x}) * FLOOR(ABS({x}) * {double(10_000).sql('duckdb')} + "
        f"{double(0.5).sql('duckdb')}) AS BIGINT) FROM (SELECT UNNEST(?) AS {x})"
    )
    for value, units in con.execute(sql, [values]).fetchall():
        assert units == to_units(value), value


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 3000), st.floats(0.5, 2000, allow_nan=False)),
        min_size=1,
        max_size=50,
    )
)
def test_decay_weights_are_pythons(pairs: list[tuple[int, float]]) -> None:
    con = connect(threads=1)
    got = con.execute(
        "SELECT POWER(CAST('0.5' AS DOUBLE), CAST(a AS DOUBLE) / h) "
        "FROM (SELECT UNNEST(?) AS a, UNNEST(?) AS h)",
        [[a for a, _ in pairs], [h for _, h in pairs]],
    ).fetchall()
    assert [g for (g,) in got] == [0.5 ** (a / h) for a, h in pairs]
