"""Running compiled SQL on Spark: the one module that starts Spark sessions.

Local mode (``local[*]``, ``local[2]``) is what tests and benchmarks use: the driver
binds to 127.0.0.1 (Spark would otherwise bind to the machine's interface), the UI is
off, logging is quiet, there are few shuffle partitions, as suits data that fits one
machine, and the (unused) warehouse folder is in the temporary folder. Any other master
URL (``spark://host:7077``, ``yarn``) takes Spark's own defaults for those, so a cluster
is configured where it belongs (spark-defaults.conf). The session's time zone is UTC:
the snapshot's times are naive UTC.
"""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import sqlglot
from pyspark.sql import SparkSession
from sqlglot import exp

from socialcredit.engine.batch.adapters.base import UnsupportedEngine

DEFAULT_MASTER = "local[*]"
LOCAL_SHUFFLE_PARTITIONS = 4
LOCALHOST = "127.0.0.1"


def is_local(master: str) -> bool:
    return master == "local" or master.startswith("local[")


def start_session(
    master: str = DEFAULT_MASTER,
    *,
    shuffle_partitions: int | None = None,
    app: str = "socialcredit",
) -> SparkSession:
    """A Spark session on ``master``; stop it with :func:`stop_session` (or use
    :func:`spark_session`). Raises ``UnsupportedEngine`` when Spark cannot start (no
    Java, say)."""
    builder = (
        SparkSession.builder.master(master)
        .appName(app)
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.ansi.enabled", "false")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.parquet.inferTimestampNTZ.enabled", "true")
    )
    if is_local(master):
        os.environ.setdefault("SPARK_LOCAL_IP", LOCALHOST)
        warehouse = Path(tempfile.gettempdir()) / "socialcredit-spark-warehouse"
        builder = (
            builder.config("spark.sql.warehouse.dir", str(warehouse))
            .config("spark.driver.bindAddress", LOCALHOST)
            .config("spark.driver.host", LOCALHOST)
            .config(
                "spark.sql.shuffle.partitions",
                str(shuffle_partitions or LOCAL_SHUFFLE_PARTITIONS),
            )
        )
    elif shuffle_partitions is not None:
        builder = builder.config("spark.sql.shuffle.partitions", str(shuffle_partitions))
    try:
        session = builder.getOrCreate()
    except Exception as exc:  # Java missing or failing to start: py4j's and Spark's own
        raise UnsupportedEngine(
            f"Spark could not start on {master!r}: {exc}", field="master"
        ) from exc
    session.sparkContext.setLogLevel("ERROR")
    return session


def stop_session(session: SparkSession) -> None:
    session.stop()


@contextmanager
def spark_session(master: str = DEFAULT_MASTER, **kw: object) -> Iterator[SparkSession]:
    """A Spark session for one evaluation, stopped at the end; one already running in this
    process (an application's, a test session's) is used as it is and left running."""
    active = SparkSession.getActiveSession()
    if active is not None:
        yield active
        return
    session = start_session(master, **kw)  # type: ignore[arg-type]
    try:
        yield session
    finally:
        stop_session(session)


@dataclass(frozen=True)
class Step:
    """One CTE of the compiled query, run as a temporary view of its own."""

    name: str
    sql: str
    cached: bool  # read by several later steps: computed once and kept


def steps(sql: str) -> tuple[list[Step], str]:
    """The compiled query cut at its CTEs: Spark inlines every CTE into each of its readers
    and analyses and optimises the whole tree at once, which for a policy's some forty
    steps takes minutes; a step read by several others is cached (computed once, as
    DuckDB materialises it), the others are views."""
    tree = sqlglot.parse_one(sql, read="spark")
    with_ = tree.args.get("with_")
    if not isinstance(with_, exp.With):
        return [], sql
    ctes = list(with_.expressions)
    names = {c.alias for c in ctes}
    final = tree.copy()
    final.set("with_", None)
    readers = Counter[str]()
    for body in [*(c.this for c in ctes), final]:
        for table in body.find_all(exp.Table):
            if not table.db and table.name in names:
                readers[table.name] += 1
    out = [Step(c.alias, c.this.sql("spark"), readers[c.alias] > 1) for c in ctes]
    return out, final.sql("spark")


def run_query(session: object, sql: str) -> pa.Table:
    """Run one compiled query on ``session`` (a ``SparkSession``), step by step in a
    session of its own (its views are its own; the cache it fills is emptied at the end),
    and return its rows as Arrow."""
    if not isinstance(session, SparkSession):
        raise TypeError(f"not a SparkSession: {type(session).__name__}")
    parts, final = steps(sql)
    own = session.newSession()
    cached: list[str] = []
    try:
        for step in parts:
            if step.cached:
                own.sql(f"CACHE TABLE {step.name} AS {step.sql}")
                cached.append(step.name)
            else:
                own.sql(step.sql).createOrReplaceTempView(step.name)
        table: pa.Table = own.sql(final).toArrow()
    finally:
        for name in reversed(cached):
            own.sql(f"UNCACHE TABLE IF EXISTS {name}")
    return table
