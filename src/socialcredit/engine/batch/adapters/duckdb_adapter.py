"""DuckDB: runs the compiled SQL over the snapshot's Parquet files.

Attributes: one ``json_extract`` of all the paths the rules read parses each
record's JSON text once; the kind of each value is its first character (the
JSON DuckDB re-serialises is compact); strings are unescaped by
``json_extract_string``; numbers' act-key text is taken from the stored text
itself with a regex, because DuckDB re-serialises numbers (``1e+20`` becomes
``100000000000000000000.0``) and act keys must be the canonical text.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

from sqlglot import exp

from socialcredit.engine.batch.adapters.base import (
    Adapter,
    AttrSpec,
    json_key_pattern,
)
from socialcredit.engine.batch.sql import dialect_template

_NUMBER_TEXT = "(-?[0-9][0-9.eE+-]*)"


def _duck(sql: str, **parts: exp.Expr) -> exp.Expr:
    return dialect_template("duckdb", sql, **parts)


def json_path(name: str) -> str:
    return '$."' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


class DuckDBAdapter(Adapter):
    name: ClassVar[str] = "duckdb"
    dialect: ClassVar[str] = "duckdb"
    supports: ClassVar[frozenset[str]] = frozenset({"execute", "json_kinds", "window", "parquet"})

    def __init__(self, folder: str | Path | None = None, tables: dict[str, str] | None = None):
        """Read the snapshot from Parquet files in ``folder``, or from views named in
        ``tables`` (snapshot table -> view registered on the connection)."""
        self.folder = Path(folder) if folder is not None else None
        self.tables = tables or {}

    def source(self, table: str) -> exp.Table:
        if table in self.tables:
            return exp.to_table(self.tables[table])
        if self.folder is None:
            raise ValueError(f"no source for the snapshot table {table!r}")
        path = str(self.folder / f"{table}.parquet")
        return exp.Table(
            this=exp.Anonymous(this="read_parquet", expressions=[exp.Literal.string(path)])
        )

    def materialized(self, keep: bool | None) -> bool | None:
        # DuckDB keeps (materializes) a CTE that several readers share unless told not to
        return keep

    def add_days(self, day: exp.Expr, days: exp.Expr) -> exp.Expr:
        # DATE + INTEGER is a DATE in DuckDB (DATE + INTERVAL would be a TIMESTAMP)
        return exp.Add(this=day, expression=exp.cast(days, exp.DataType.Type.INT))

    def days_between(self, start: exp.Expr, end: exp.Expr) -> exp.Expr:
        return exp.paren(exp.Sub(this=end, expression=start))

    def typed_attributes(
        self, source: str, columns: Sequence[str], attrs: Sequence[AttrSpec]
    ) -> exp.Select:
        passthrough = [exp.column(c) for c in columns]
        if not attrs:
            return exp.select(*passthrough).from_(source)
        paths = exp.Array(expressions=[exp.Literal.string(json_path(a.name)) for a in attrs])
        parsed = exp.select(
            *passthrough,
            exp.column("attributes"),
            exp.alias_(_duck(_EXTRACT, paths=paths), "_j"),
        ).from_(source)
        kinds: list[exp.Expr] = [*passthrough, exp.column("attributes")]
        for pos, a in enumerate(attrs):
            # sqlglot counts from 0 and renders DuckDB's 1-based index
            j = exp.Bracket(this=exp.column("_j"), expressions=[exp.Literal.number(pos)])
            kinds.append(exp.alias_(j, f"a{a.index}_j"))
            kinds.append(exp.alias_(_duck(_KIND, j=j), f"a{a.index}_t"))
        typed = exp.select(*kinds).from_(parsed.subquery("_p"))
        out: list[exp.Expr] = list(passthrough)
        for a in attrs:
            i = a.index
            cols = {"j": exp.column(f"a{i}_j"), "t": exp.column(f"a{i}_t")}
            pattern = exp.Literal.string(json_key_pattern(a.name) + _NUMBER_TEXT)
            out.append(cols["t"])
            out.append(exp.alias_(_duck(_STRING, **cols), f"a{i}_s"))
            number = _duck(_NUMBER, **cols) if a.number else exp.null()
            out.append(exp.alias_(number, f"a{i}_n"))
            key = _duck(_KEY, pattern=pattern, **cols) if a.key else exp.null()
            out.append(exp.alias_(key, f"a{i}_k"))
        return exp.select(*out).from_(typed.subquery("_t"))


# the DuckDB SQL of each typed column; :j is the value's JSON text, :t its kind
_EXTRACT = "json_extract(attributes, :paths)"
_KIND = """
    CASE WHEN :j IS NULL THEN NULL ELSE CASE SUBSTRING(:j, 1, 1)
      WHEN '"' THEN 's' WHEN 't' THEN 'b' WHEN 'f' THEN 'b' WHEN 'n' THEN 'z'
      WHEN '[' THEN 'o' WHEN '{' THEN 'o' ELSE 'n' END END
"""
_STRING = "CASE WHEN :t = 's' THEN json_extract_string(:j, '$') END"
_NUMBER = """
    CASE WHEN :t = 'n' THEN CAST(:j AS DOUBLE)
         WHEN :t = 'b' THEN CASE WHEN :j = 'true' THEN CAST(1 AS DOUBLE)
                                 ELSE CAST(0 AS DOUBLE) END END
"""
_KEY = """
    CASE WHEN :t = 's' THEN json_extract_string(:j, '$') WHEN :t = 'b' THEN CAST(:j AS TEXT)
         WHEN :t = 'n' THEN regexp_extract(attributes, :pattern, 1) END
"""
