"""Fast bulk statements for the ingestion hot path.

SQLAlchemy Core's per-row parameter processing dominates when appending tens
of thousands of rows a second, so the hot inserts and look-ups go straight to
the DBAPI driver. Values are converted to what SQLAlchemy itself stores, so
rows read back through Core are identical.

On PostgreSQL an insert of rows is a ``COPY … FROM STDIN``
(psycopg 3), in the caller's transaction: the same constraints and triggers
fire, a violation raises the same SQLAlchemy error an INSERT would (an
``IntegrityError`` for a duplicate key), and it costs a fraction of the
row-by-row inserts of an executemany.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any, cast

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError

from socialcredit.clock import naive_utc


def db_datetime(conn: Connection, value: dt.datetime) -> Any:
    """A datetime as the driver should receive it (SQLAlchemy's SQLite text format)."""
    if conn.dialect.name == "sqlite":
        # SQLAlchemy's own text for SQLite (four-digit years), as written; an offset is
        # not kept (the store holds naive UTC)
        return value.replace(tzinfo=None).isoformat(" ", "microseconds")
    return value


def stored_day(value: Any) -> dt.date:
    """A date column as read back (SQLite may give ISO text)."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def stored_instant(value: Any) -> dt.datetime:
    """A datetime column as read back, as a naive UTC datetime (SQLite may give ISO text)."""
    if isinstance(value, dt.datetime):
        return naive_utc(value)
    return dt.datetime.fromisoformat(str(value))


def db_date(conn: Connection, value: dt.date | None) -> Any:
    return date_param(conn)(value)


def date_param(conn: Connection) -> Callable[[dt.date | None], Any]:
    """db_date for this connection's dialect, decided once (for loops over many rows)."""
    if conn.dialect.name == "sqlite":
        return _iso
    return _as_is


def _iso(value: dt.date | None) -> Any:
    return None if value is None else value.isoformat()


def _as_is(value: dt.date | None) -> Any:
    return value


def insert_rows(
    conn: Connection, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """INSERT many driver-ready rows (see db_date / db_datetime) with one executemany."""
    if not rows:
        return
    if conn.dialect.name == "postgresql" and len(rows) >= COPY_FROM:
        copy_rows(conn, table, columns, rows)
        return
    mark = "?" if conn.dialect.name == "sqlite" else "%s"
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join([mark] * len(columns))})"
    conn.exec_driver_sql(sql, list(rows))


# from this many rows on, PostgreSQL inserts are a COPY: every insert, so that one path
# is tested and run (a benchmark raises it to measure row inserts as the baseline)
COPY_FROM = 1


def copy_rows(
    conn: Connection, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """PostgreSQL: ``COPY table (columns) FROM STDIN`` of driver-ready rows, in the
    connection's transaction. A driver error is raised as SQLAlchemy raises it for an
    INSERT (``IntegrityError``, ``DataError``…), so callers handle one kind."""
    import psycopg  # the PostgreSQL driver; only a PostgreSQL connection comes here

    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    driver = cast("psycopg.Connection[Any]", conn.connection.driver_connection)
    cursor = driver.cursor()
    try:
        with cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
    except psycopg.Error as exc:
        raise DBAPIError.instance(sql, None, exc, psycopg.Error) from exc
    finally:
        cursor.close()


def select_in(
    conn: Connection,
    table: str,
    columns: Sequence[str],
    key: str,
    values: Iterable[str],
    chunk: int = 900,
) -> list[tuple[Any, ...]]:
    """SELECT columns FROM table WHERE key IN values, in chunks."""
    keys = sorted(set(values))
    out: list[tuple[Any, ...]] = []
    if conn.dialect.name == "postgresql":
        # one statement whatever the number of keys: its text is the same every time,
        # so the driver parses it once, and the server plans one array probe
        if keys:
            sql = f"SELECT {', '.join(columns)} FROM {table} WHERE {key} = ANY(%s)"
            cursor = conn.connection.cursor()
            try:
                cursor.execute(sql, (keys,))
                out.extend(tuple(r) for r in cursor.fetchall())
            finally:
                cursor.close()
        return out
    mark = "?"
    for i in range(0, len(keys), chunk):
        part = keys[i : i + chunk]
        sql = (
            f"SELECT {', '.join(columns)} FROM {table} "
            f"WHERE {key} IN ({', '.join([mark] * len(part))})"
        )
        cursor = conn.connection.cursor()  # the driver's own: plain tuples, no Row objects
        try:
            cursor.execute(sql, tuple(part))
            out.extend(tuple(r) for r in cursor.fetchall())
        finally:
            cursor.close()
    return out
