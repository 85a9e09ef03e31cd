"""Bulk inserts (COPY on PostgreSQL, executemany on SQLite): the same rows read back,
the same error for a duplicate key, and a refused insert rolls the whole write back."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DataError, IntegrityError

from socialcredit.store.bulk import db_datetime, insert_rows, select_in
from socialcredit.store.database import Store

_COLUMNS = ("id", "kind", "first_recorded_at")


def _subjects(store: Store) -> list[tuple[str, str]]:
    with store.reader() as conn:
        return [tuple(r) for r in conn.execute(text("SELECT id, kind FROM subjects ORDER BY id"))]


def test_rows_inserted_in_bulk_read_back_as_written(store: Store) -> None:
    at = dt.datetime(2026, 3, 2, 2)
    with store.writer() as conn:
        stamp = db_datetime(conn, at)
        insert_rows(conn, "subjects", _COLUMNS, [(f"S{i:03d}", "person", stamp) for i in range(50)])
    assert len(_subjects(store)) == 50
    with store.reader() as conn:
        found = select_in(conn, "subjects", ("id", "kind"), "id", ["S001", "S049", "nobody"])
        first = conn.execute(text("SELECT first_recorded_at FROM subjects LIMIT 1")).scalar()
    assert sorted(found) == [("S001", "person"), ("S049", "person")]
    assert str(first).startswith("2026-03-02 02:00:00")


def test_a_duplicate_key_refuses_the_whole_write(store: Store) -> None:
    at = dt.datetime(2026, 3, 2, 2)
    with pytest.raises(IntegrityError), store.writer() as conn:
        stamp = db_datetime(conn, at)
        insert_rows(conn, "subjects", _COLUMNS, [("S1", "person", stamp)])
        insert_rows(conn, "subjects", _COLUMNS, [("S2", "person", stamp), ("S1", "person", stamp)])
    assert _subjects(store) == []


def test_a_value_the_column_cannot_hold_is_refused(store: Store) -> None:
    if store.dialect != "postgresql":
        pytest.skip("SQLite stores any value in any column")
    with pytest.raises(DataError), store.writer() as conn:
        insert_rows(conn, "subjects", _COLUMNS, [("S1", "person", "not a time")])
    assert _subjects(store) == []
