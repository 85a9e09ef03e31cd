"""Entity resolution on Spark: splink's ``SparkAPI`` on a local session.

For national scale (``socialcredit resolve --engine spark``). The session runs in this
process's JVM (``local[*]``), bound to 127.0.0.1 with the web UI off, with splink's
similarity functions (Jaro-Winkler, Damerau-Levenshtein) from the jar splink ships for
Spark 4, and a checkpoint folder of its own (splink breaks the lineage of its
intermediate tables by checkpointing), removed when the session stops. The one module
that imports pyspark outside the batch engine's adapters.
"""

from __future__ import annotations

import atexit
import logging
import tempfile
from typing import Any

from pyspark.sql import SparkSession
from splink import SparkAPI
from splink.internals.spark.jar_location import similarity_jar_location

LOCAL = "127.0.0.1"
_state: dict[str, Any] = {}


def session() -> SparkSession:
    """The local Spark session (started on first use, kept for the process)."""
    found = _state.get("session")
    if isinstance(found, SparkSession):
        return found
    folder = tempfile.TemporaryDirectory(prefix="socialcredit-spark-")
    spark = (
        SparkSession.builder.master("local[*]")
        .appName("socialcredit-resolve")
        .config("spark.driver.bindAddress", LOCAL)
        .config("spark.driver.host", LOCAL)
        .config("spark.ui.enabled", "false")
        .config("spark.jars", similarity_jar_location())
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.local.dir", folder.name)
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    spark.sparkContext.setCheckpointDir(f"{folder.name}/checkpoints")
    logging.getLogger("py4j").setLevel(logging.ERROR)
    _state.update(session=spark, folder=folder)
    return spark


def spark_api() -> SparkAPI:
    """splink's Spark backend on :func:`session`."""
    return SparkAPI(spark_session=session())  # type: ignore[no-untyped-call]


@atexit.register
def stop() -> None:
    """Stop the session and remove its folder (at exit, or when a test is done)."""
    spark = _state.pop("session", None)
    folder = _state.pop("folder", None)
    if spark is not None:
        spark.stop()
    if folder is not None:
        folder.cleanup()


__all__ = ["session", "spark_api", "stop"]
