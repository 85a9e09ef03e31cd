"""Reading a field of a record's JSON attributes in SQL, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Connection, Date, cast, func
from sqlalchemy.sql.elements import ColumnElement


def json_text(conn: Connection, column: Any, key: str) -> ColumnElement[Any]:
    """The text of the top-level ``key`` of a JSON text column (NULL when absent)."""
    if conn.dialect.name == "postgresql":
        return func.json_extract_path_text(cast(column, JSON), key)
    return func.json_extract(column, f"$.{key}")


def json_date(conn: Connection, column: Any, key: str) -> ColumnElement[Any]:
    """An ISO date held at ``key``, comparable with a Date column (SQLite keeps dates as
    ISO text, so the text itself compares; PostgreSQL casts it)."""
    value = json_text(conn, column, key)
    if conn.dialect.name == "postgresql":
        return cast(value, Date)
    return value


__all__ = ["json_date", "json_text"]
