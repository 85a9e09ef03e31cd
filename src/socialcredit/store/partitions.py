"""PostgreSQL: the ledger partitioned by the month of ``recorded_at``.

``records`` is a partitioned table (migration 0016) with one partition a month,
``records_pYYYYMM``, and a default partition, ``records_default``, that takes a
record of a month without its own partition, so that no append ever fails for
want of one. Partitions are made ahead of time: by ``socialcredit init`` (the
current month and ``AHEAD`` more) and before an ingestion writes into a month
that has none. A month whose records already went to the default partition is
carved out of it (its rows moved into the new partition in the same
transaction).

A primary key or unique constraint of a partitioned table must hold the
partition key, so ``records`` keys on (seq, recorded_at), and ``record_keys``,
an ordinary table filled by a statement trigger on ``records``, keeps ``id``
(the provider and the provider's reference) and ``seq`` unique over the whole
ledger. SQLite keeps one plain table.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection

AHEAD = 3  # months made ahead of the current one
DEFAULT = "records_default"


def month_of(instant: dt.datetime | dt.date) -> dt.date:
    return dt.date(instant.year, instant.month, 1)


def next_month(month: dt.date) -> dt.date:
    return dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)


def partition_name(month: dt.date) -> str:
    return f"records_p{month:%Y%m}"


def is_partitioned(conn: Connection) -> bool:
    """Whether this store's ledger is partitioned (PostgreSQL from 0016 on)."""
    if conn.dialect.name != "postgresql":
        return False
    kind = conn.exec_driver_sql(
        "SELECT c.relkind FROM pg_class c WHERE c.oid = to_regclass('records')"
    ).scalar()
    return kind == "p"


def months_present(conn: Connection) -> set[dt.date]:
    """The months that have their own partition."""
    rows = conn.exec_driver_sql(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "WHERE i.inhparent = to_regclass('records')"
    )
    out: set[dt.date] = set()
    for (name,) in rows:
        if name.startswith("records_p") and name[9:].isdigit():
            out.add(dt.date(int(name[9:13]), int(name[13:15]), 1))
    return out


def ensure_months(conn: Connection, first: dt.date, count: int) -> list[str]:
    """Make the partitions of ``count`` months from ``first``'s on that do not exist
    yet (moving their rows out of the default partition); return those made. Call
    it in a write transaction (writers are serialised, so two never race)."""
    present = months_present(conn)
    made: list[str] = []
    month = month_of(first)
    for _ in range(count):
        if month not in present:
            create_month(conn, month)
            made.append(partition_name(month))
        month = next_month(month)
    return made


def create_month(conn: Connection, month: dt.date) -> None:
    """The partition of ``month``; rows of that month in the default partition move
    into it."""
    name, start, end = partition_name(month), month, next_month(month)
    bounds = f"FROM ('{start.isoformat()}') TO ('{end.isoformat()}')"
    in_range = f"recorded_at >= '{start.isoformat()}' AND recorded_at < '{end.isoformat()}'"
    stranded = conn.exec_driver_sql(f"SELECT 1 FROM {DEFAULT} WHERE {in_range} LIMIT 1").first()
    if stranded is None:
        conn.exec_driver_sql(f"CREATE TABLE {name} PARTITION OF records FOR VALUES {bounds}")
        return
    # the rows go straight into the new table, not through `records`: they are in
    # record_keys already, and the statement trigger fires only on `records`
    conn.exec_driver_sql(f"CREATE TABLE {name} (LIKE records INCLUDING DEFAULTS)")
    conn.exec_driver_sql(f"INSERT INTO {name} SELECT * FROM {DEFAULT} WHERE {in_range}")
    conn.exec_driver_sql(f"DELETE FROM {DEFAULT} WHERE {in_range}")
    conn.exec_driver_sql(f"ALTER TABLE records ATTACH PARTITION {name} FOR VALUES {bounds}")


def make_ahead(conn: Connection, now: dt.datetime) -> list[str]:
    """The partitions of ``now``'s month and the ``AHEAD`` after it that are missing
    (none on SQLite, or on a ledger not partitioned)."""
    if not is_partitioned(conn):
        return []
    return ensure_months(conn, month_of(now), AHEAD + 1)
