"""The Spark SQL computes what the DuckDB SQL computes.

Without starting Spark (test_spark.py runs it): sqlglot translates the Spark
rendering into DuckDB's dialect and DuckDB runs it over the same snapshot. The
translation is mechanical (``get_json_object``, ``regexp_extract``, ``DATEDIFF``);
what this holds is the Spark adapter's own part: cutting each attribute's raw
text out of the JSON, telling its kind, unescaping strings, keeping numbers'
stored text, and its date arithmetic. Reading ``parquet.`<path>``` is Spark's
syntax alone: the translation reads the same path as DuckDB reads a file name.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import orjson
import pytest
import sqlglot
from sqlglot import exp

from socialcredit.engine.batch import compile_policy
from socialcredit.engine.batch.adapters.base import AttrSpec
from socialcredit.engine.batch.adapters.duckdb_adapter import DuckDBAdapter
from socialcredit.engine.batch.adapters.duckdb_execute import connect
from socialcredit.engine.batch.adapters.spark import SparkAdapter
from socialcredit.engine.batch.compiler import OUTPUT_COLUMNS
from socialcredit.engine.model import to_units

from support.batch import Book, points, units
from support.packs import ORG, PERSON, instant, make_policy


def as_duckdb(spark_sql: str) -> str:
    def read_path(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.Table) and node.db == "parquet":
            return exp.Table(this=exp.Literal.string(node.name), alias=node.args.get("alias"))
        return node

    return sqlglot.parse_one(spark_sql, read="spark").transform(read_path).sql("duckdb")


def run(sql: str, *params: Any) -> list[tuple[Any, ...]]:
    con = connect(threads=1)
    try:
        con.execute("SET TimeZone = 'UTC'")
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


# -- attributes ------------------------------------------------------------------------

ATTRIBUTES = [
    {
        "amount": 12.5,
        "level": "high",
        "flag": True,
        "note": None,
        "items": [1, 2],
        "place": {"area": "371082"},
        'say "hi"': "a,b}",
        "big": 1e20,
    },
    {"amount": -3, "level": 'low "quoted" \\ back, {x}', "flag": False, "big": 7},
    {},
]
NAMES = ("amount", "level", "flag", "note", "items", "place", 'say "hi"', "big", "missing")


def typed(adapter: DuckDBAdapter | SparkAdapter, *, views: bool = True) -> list[tuple[Any, ...]]:
    attrs = [AttrSpec(n, i, True, views, views) for i, n in enumerate(NAMES)]
    rows = ", ".join(f"({i}, ?)" for i in range(len(ATTRIBUTES)))
    source = f"WITH src AS (SELECT * FROM (VALUES {rows}) AS v(id, attributes)) "
    select = adapter.typed_attributes("src", ["id"], attrs).sql(adapter.dialect)
    sql = as_duckdb(source + select) if adapter.dialect == "spark" else source + select
    texts = [orjson.dumps(a, option=orjson.OPT_SORT_KEYS).decode() for a in ATTRIBUTES]
    return sorted(run(sql, *texts))


def columns(row: tuple[Any, ...], name: str) -> tuple[Any, ...]:
    """(kind, string, number, key) of one attribute in a row of ``typed``."""
    i = 1 + 4 * NAMES.index(name)
    return row[i : i + 4]


@pytest.mark.parametrize("views", [True, False])
def test_spark_reads_every_kind_of_attribute_as_duckdb_does(views: bool) -> None:
    assert typed(SparkAdapter("/snap"), views=views) == typed(DuckDBAdapter("/snap"), views=views)


def test_spark_attribute_columns_hold_the_kind_the_text_and_the_act_key() -> None:
    first, second, empty = typed(SparkAdapter("/snap"))
    assert columns(first, "amount") == ("n", None, 12.5, "12.5")
    assert columns(first, "big") == ("n", None, 1e20, "1e+20")  # the stored text, not 1e20
    assert columns(first, "level") == ("s", "high", None, "high")
    assert columns(first, "flag") == ("b", None, 1.0, "true")
    assert columns(second, "flag") == ("b", None, 0.0, "false")
    assert columns(first, "note") == ("z", None, None, None)
    assert columns(first, "items") == ("o", None, None, None)
    assert columns(first, "place") == ("o", None, None, None)
    assert columns(first, 'say "hi"') == ("s", "a,b}", None, "a,b}")
    assert columns(second, "level")[:2] == ("s", 'low "quoted" \\ back, {x}')
    assert columns(second, "amount") == ("n", None, -3.0, "-3")
    assert columns(second, "note") == (None, None, None, None)  # absent, not JSON null
    assert all(columns(empty, n) == (None, None, None, None) for n in NAMES)


# -- a whole policy ----------------------------------------------------------------------

RULES = """
rules:
  - {id: big, scheme: s, category: test.offence, points: -1, per: amount, effect_days: 400,
     when: {all: [{attr: level, eq: high}, {attr: flag, eq: true}]}}
  - {id: low, scheme: s, category: test.offence, points: -3, effect_days: 200,
     when: {attr: level, in: [low]}, repeat: {multiplier: 2}}
  - {id: lr, scheme: s, category: test.offence, points: -20, via: legal_representative,
     ended_by: [test.cleared]}
  - {id: minor, scheme: s, category: test.minor, points: -7.5, decay: {half_life_days: 45.5},
     grade_cap: B}
  - {id: good, scheme: s, category: test.reward, points: 2, effect_days: 365}
"""


def ledger() -> Book:
    book = Book()
    book.add("test.offence", "2026-01-10", {"case_no": "A", "level": "high", "flag": True,
                                            "amount": 4.25})  # fmt: skip
    book.add("test.offence", "2026-01-11", {"case_no": "B", "level": "high", "flag": False,
                                            "amount": 50})  # fmt: skip
    book.add("test.offence", "2025-05-01", {"case_no": "C", "level": "low"})  # beyond 200 days
    book.add("test.offence", "2025-10-01", {"case_no": "D", "level": "low"})  # a repeat: x2
    book.add("test.offence", "2026-02-01", {"case_no": "E", "level": "low"})  # again x2
    book.add("test.minor", "2025-12-20")
    book.add("test.reward", "2025-03-02")  # 364 days before: still counts
    book.add("test.reward", "2025-02-28")  # 366 days before: expired
    person = {"person": PERSON.id}
    book.add("registry.legal_representative", "2024-01-01", person, subject=ORG)
    book.add("test.offence", "2025-12-01", {"case_no": "F"}, subject=ORG)
    book.add("test.offence", "2025-12-02", {"case_no": "G"}, subject=ORG)
    book.add("test.cleared", "2026-01-05", {"case_no": "G"}, subject=ORG)
    return book


def test_a_policy_rendered_for_spark_scores_every_subject_as_duckdb_does(
    tmp_path: Path,
) -> None:
    policy = make_policy(RULES)
    at = instant("2026-03-01")
    duckdb = ledger().evaluate(policy, tmp_path)  # checked against the incremental engine
    compiled = compile_policy(policy, SparkAdapter(tmp_path), at)
    rows = run(as_duckdb(compiled.sql))
    spark = {(r[0], r[1]): dict(zip(OUTPUT_COLUMNS, r, strict=True)) for r in rows}
    assert spark == duckdb
    # A (-4.25); D and E, each a repeat within the previous one's 200 days (-6 each); F
    # through the representative (-20); the decayed minor offence; the reward still in
    # effect (+2). B (no flag), C (over), G (cleared) and the old reward do not count.
    decayed = to_units(-7.5 * 0.5 ** ((dt.date(2026, 3, 1) - dt.date(2025, 12, 20)).days / 45.5))
    assert units(duckdb) == points(100 - 4.25 - 6 - 6 - 20 + 2) + decayed
    assert duckdb[(PERSON.id, "s")]["grade"] == "C"
    assert units(duckdb, ORG) == points(100)


def test_spark_ends_an_effect_period_on_the_day_duckdb_does(tmp_path: Path) -> None:
    policy = make_policy(
        "rules:\n  - {id: r, scheme: s, category: test.minor, points: -10, effect_days: 30}\n"
    )
    book = Book()
    book.add("test.minor", "2026-01-30")  # day 30 on 2026-03-01: over
    book.add("test.minor", "2026-01-31", subject=ORG)  # day 29: still counts
    book.evaluate(policy, tmp_path)
    compiled = compile_policy(policy, SparkAdapter(tmp_path), dt.datetime(2026, 3, 1, 4))
    scores = {r[0]: r[3] for r in run(as_duckdb(compiled.sql))}
    assert scores == {PERSON.id: 1_000_000, ORG.id: 900_000}
