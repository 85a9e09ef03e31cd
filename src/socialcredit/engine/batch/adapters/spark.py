"""Spark SQL: renders the compiled query for a Spark session (running it comes later).

Spark has no function telling a JSON value's kind, so the raw text of each
attribute is cut out of the canonical JSON (sorted keys, no spaces, flat) with
a regex; its first character gives the kind, ``get_json_object`` unescapes
strings, and numbers keep their stored text for act keys. Snapshot tables are
read as ``parquet.`<path>```.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

from sqlglot import exp

from socialcredit.engine.batch.adapters.base import Adapter, AttrSpec, json_key_pattern
from socialcredit.engine.batch.sql import case, double, string

# a JSON string (with escapes), or any other scalar up to the next ',' or '}'
_VALUE = '("(?:[^"\\\\]|\\\\.)*"|[^,}]*)'
_KINDS = (('"', "s"), ("t", "b"), ("f", "b"), ("n", "z"), ("[", "o"), ("{", "o"))


class SparkAdapter(Adapter):
    name: ClassVar[str] = "spark"
    dialect: ClassVar[str] = "spark"
    supports: ClassVar[frozenset[str]] = frozenset({"json_kinds", "window", "parquet"})

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    def source(self, table: str) -> exp.Table:
        path = str(self.folder / f"{table}.parquet")
        return exp.Table(this=exp.to_identifier(path, quoted=True), db=exp.to_identifier("parquet"))

    def days_between(self, start: exp.Expr, end: exp.Expr) -> exp.Expr:
        # Spark's two-argument form (end first), available in every Spark 3
        return exp.Anonymous(this="DATEDIFF", expressions=[end, start])

    def typed_attributes(
        self, source: str, columns: Sequence[str], attrs: Sequence[AttrSpec]
    ) -> exp.Select:
        raw_cols: list[exp.Expr] = [exp.column(c) for c in columns]
        raw_cols.append(exp.column("attributes"))
        for a in attrs:
            found = exp.RegexpExtract(
                this=exp.column("attributes"),
                expression=string(json_key_pattern(a.name) + _VALUE),
                group=exp.Literal.number(1),
            )
            # regexp_extract gives '' when nothing matches: the attribute is absent
            raw = exp.Nullif(this=found, expression=string(""))
            raw_cols.append(exp.alias_(raw, f"a{a.index}_j"))
        kinds: list[exp.Expr] = [exp.column(c) for c in (*columns, "attributes")]
        for a in attrs:
            j = exp.column(f"a{a.index}_j")
            first = exp.Substring(this=j, start=exp.Literal.number(1), length=exp.Literal.number(1))
            by_first = case(first, [(string(c), string(k)) for c, k in _KINDS], string("n"))
            absent = exp.Is(this=j.copy(), expression=exp.null())
            kinds.append(j.copy())
            kinds.append(exp.alias_(case(None, [(absent, exp.null())], by_first), f"a{a.index}_t"))
        out: list[exp.Expr] = [exp.column(c) for c in columns]
        for a in attrs:
            i = a.index
            j, t = exp.column(f"a{i}_j"), exp.column(f"a{i}_t")
            path = f"$.{a.name}" if a.name.isidentifier() else f"$['{a.name}']"
            text = exp.Anonymous(
                this="get_json_object", expressions=[exp.column("attributes"), string(path)]
            )
            is_s = exp.EQ(this=t.copy(), expression=string("s"))
            is_n = exp.EQ(this=t.copy(), expression=string("n"))
            is_b = exp.EQ(this=t.copy(), expression=string("b"))
            true = exp.EQ(this=j.copy(), expression=string("true"))
            number = case(
                None,
                [
                    (is_n, exp.cast(j.copy(), exp.DataType.Type.DOUBLE)),
                    (is_b.copy(), exp.If(this=true, true=double(1.0), false=double(0.0))),
                ],
            )
            key = case(None, [(is_s.copy(), text.copy()), (exp.or_(is_n, is_b), j.copy())])
            out.append(t)
            out.append(exp.alias_(case(None, [(is_s, text)]), f"a{i}_s"))
            out.append(exp.alias_(number if a.number else exp.null(), f"a{i}_n"))
            out.append(exp.alias_(key if a.key else exp.null(), f"a{i}_k"))
        raws = exp.select(*raw_cols).from_(source).subquery("_r")
        return exp.select(*out).from_(exp.select(*kinds).from_(raws).subquery("_k"))
