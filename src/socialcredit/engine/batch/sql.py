"""Small helpers for writing neutral SQL with sqlglot."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import sqlglot
from sqlglot import exp

DType = Any  # a member of sqlglot's exp.DataType.Type enum


@lru_cache(maxsize=512)
def _parsed(sql: str, dialect: str) -> exp.Expr:
    return sqlglot.parse_one(textwrap.dedent(sql).strip(), read=dialect or None)


def template(sql: str, **parts: Any) -> exp.Expr:
    """Parse neutral SQL and put expressions (or Python values) in its ``:name``
    placeholders (a name may be used several times); a list fills an ``IN (:name)`` list.
    Parses are cached: the templates are few, the compiles many."""
    return fill(_parsed(sql, "").copy(), parts)


def dialect_template(dialect: str, sql: str, **parts: Any) -> exp.Expr:
    """``template`` for SQL written in one engine's dialect (inside that engine's adapter)."""
    return fill(_parsed(sql, dialect).copy(), parts)


def fill(tree: exp.Expr, parts: dict[str, Any]) -> exp.Expr:
    missing = {p.name for p in tree.find_all(exp.Placeholder)} - set(parts)
    if missing:
        raise KeyError(f"no value for placeholders {sorted(missing)}")
    for node in list(tree.find_all(exp.In)):
        items = node.expressions
        if len(items) == 1 and isinstance(items[0], exp.Placeholder):
            value = parts.get(items[0].name)
            if isinstance(value, list | tuple):
                node.set("expressions", [v.copy() for v in value])

    def fill(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.Placeholder) and node.name in parts:
            return exp.convert(parts[node.name]).copy()  # a copy per use: trees share no nodes
        return node

    return tree.transform(fill)


def query(sql: exp.Expr) -> exp.Query:
    """A parsed template that is a query (so that it can be a subquery)."""
    assert isinstance(sql, exp.Query)
    return sql


def double(value: float) -> exp.Expr:
    """A DOUBLE constant: never a DECIMAL literal (slow in DuckDB, and 0.30000000000000004
    as DECIMAL(17,17) is not that double); the shortest text that round-trips, cast."""
    return exp.cast(exp.Literal.string(repr(float(value))), exp.DataType.Type.DOUBLE)


def string(value: str) -> exp.Literal:
    return exp.Literal.string(value)


def number(value: int) -> exp.Expr:
    return exp.Literal.number(value)


def values_table(columns: list[tuple[str, DType]], rows: list[tuple[Any, ...]]) -> exp.Select:
    """``SELECT CAST(c1 AS T1) AS c1, ... FROM (VALUES ...) AS v(c1, ...)``, typed even when
    a column holds only NULLs."""
    names = [c for c, _ in columns]
    values = exp.Values(
        expressions=[exp.Tuple(expressions=[literal(v) for v in row]) for row in rows],
        alias=exp.TableAlias(
            this=exp.to_identifier("v"), columns=[exp.to_identifier(n) for n in names]
        ),
    )
    return exp.select(*(exp.alias_(exp.cast(exp.column(n), t), n) for n, t in columns)).from_(
        values
    )


def literal(value: Any) -> exp.Expr:
    if value is None:
        return exp.null()
    if isinstance(value, bool):
        return exp.true() if value else exp.false()
    if isinstance(value, int):
        return exp.Literal.number(value)
    if isinstance(value, float):
        return exp.Literal.string(repr(value))  # values_table casts it to DOUBLE
    return exp.Literal.string(str(value))


def case(
    this: exp.Expr | None,
    pairs: Sequence[tuple[exp.Expr, exp.Expr]],
    default: exp.Expr | None = None,
) -> exp.Expr:
    """``CASE [this] WHEN a THEN b ... ELSE default END``; just ``default`` (or NULL) when
    there are no pairs."""
    if not pairs:
        return default if default is not None else exp.null()
    return exp.Case(this=this, ifs=[exp.If(this=w, true=t) for w, t in pairs], default=default)
