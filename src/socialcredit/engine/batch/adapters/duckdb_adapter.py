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

import sqlglot
from sqlglot import exp

from socialcredit.engine.batch.adapters.base import (
    Adapter,
    AttrSpec,
    json_key_pattern,
)

_NUMBER_TEXT = "(-?[0-9][0-9.eE+-]*)"


def _duck(sql: str) -> exp.Expression:
    return sqlglot.parse_one(sql, read="duckdb")


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


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

    def add_days(self, day: exp.Expression, days: exp.Expression) -> exp.Expression:
        # DATE + INTEGER is a DATE in DuckDB (DATE + INTERVAL would be a TIMESTAMP)
        return exp.Add(this=day, expression=exp.cast(days, exp.DataType.Type.INT))

    def days_between(self, start: exp.Expression, end: exp.Expression) -> exp.Expression:
        return exp.paren(exp.Sub(this=end, expression=start))

    def typed_attributes(
        self, source: str, columns: Sequence[str], attrs: Sequence[AttrSpec]
    ) -> exp.Select:
        passthrough = [exp.column(c) for c in columns]
        if not attrs:
            return exp.select(*passthrough).from_(source)
        paths = ", ".join(_quote(json_path(a.name)) for a in attrs)
        parsed = exp.select(
            *passthrough,
            exp.column("attributes"),
            exp.alias_(_duck(f"json_extract(attributes, [{paths}])"), "_j"),
        ).from_(source)
        kinds: list[exp.Expression] = []
        for pos, a in enumerate(attrs, start=1):
            j = f"_j[{pos}]"
            kinds.append(exp.alias_(_duck(j), f"a{a.index}_j"))
            kinds.append(
                exp.alias_(
                    _duck(
                        f"CASE WHEN {j} IS NULL THEN NULL ELSE CASE SUBSTRING({j}, 1, 1) "
                        "WHEN '\"' THEN 's' WHEN 't' THEN 'b' WHEN 'f' THEN 'b' "
                        "WHEN 'n' THEN 'z' WHEN '[' THEN 'o' WHEN '{' THEN 'o' ELSE 'n' END END"
                    ),
                    f"a{a.index}_t",
                )
            )
        typed = exp.select(*passthrough, exp.column("attributes"), *kinds).from_(
            parsed.subquery("_p")
        )
        out: list[exp.Expression] = list(passthrough)
        for a in attrs:
            i = a.index
            out.append(exp.column(f"a{i}_t"))
            string = f"CASE WHEN a{i}_t = 's' THEN json_extract_string(a{i}_j, '$') END"
            number = (
                f"CASE WHEN a{i}_t = 'n' THEN CAST(a{i}_j AS DOUBLE) "
                f"WHEN a{i}_t = 'b' THEN CASE WHEN a{i}_j = 'true' THEN CAST(1 AS DOUBLE) "
                "ELSE CAST(0 AS DOUBLE) END END"
            )
            pattern = _quote(json_key_pattern(a.name) + _NUMBER_TEXT)
            key = (
                f"CASE WHEN a{i}_t = 's' THEN json_extract_string(a{i}_j, '$') WHEN a{i}_t = 'b' THEN CAST(a{i}_j AS TEXT) "
                f"WHEN a{i}_t = 'n' THEN regexp_extract(attributes, {pattern}, 1) END"
            )
            out.append(exp.alias_(_duck(string), f"a{i}_s"))
            out.append(exp.alias_(_duck(number) if a.number else exp.null(), f"a{i}_n"))
            out.append(exp.alias_(_duck(key) if a.key else exp.null(), f"a{i}_k"))
        return exp.select(*out).from_(typed.subquery("_t"))
