"""Small helpers for writing neutral SQL with sqlglot."""

from __future__ import annotations

import textwrap
from typing import Any

import sqlglot
from sqlglot import exp


def template(sql: str, **parts: Any) -> exp.Expression:
    """Parse neutral SQL and put expressions (or Python values) in its ``:name`` placeholders
    (a name may be used several times); a list fills an ``IN (:name)`` list."""
    tree = sqlglot.parse_one(textwrap.dedent(sql).strip())
    missing = {p.name for p in tree.find_all(exp.Placeholder)} - set(parts)
    if missing:
        raise KeyError(f"no value for placeholders {sorted(missing)}")
    for node in list(tree.find_all(exp.In)):
        items = node.expressions
        if len(items) == 1 and isinstance(items[0], exp.Placeholder):
            value = parts.get(items[0].name)
            if isinstance(value, list | tuple):
                node.set("expressions", [v.copy() for v in value])

    def fill(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Placeholder) and node.name in parts:
            return exp.convert(parts[node.name]).copy()  # a copy per use: trees share no nodes
        return node

    return tree.transform(fill)


def double(value: float) -> exp.Expression:
    """A DOUBLE constant: never a DECIMAL literal (slow in DuckDB, and 0.30000000000000004
    as DECIMAL(17,17) is not that double); the shortest text that round-trips, cast."""
    return exp.cast(exp.Literal.string(repr(float(value))), exp.DataType.Type.DOUBLE)


def string(value: str) -> exp.Literal:
    return exp.Literal.string(value)


def number(value: int) -> exp.Literal:
    return exp.Literal.number(value)


def values_table(
    columns: list[tuple[str, exp.DataType.Type]], rows: list[tuple[Any, ...]]
) -> exp.Select:
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


def literal(value: Any) -> exp.Expression:
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
    this: exp.Expression | None,
    pairs: list[tuple[exp.Expression, exp.Expression]],
    default: exp.Expression | None = None,
) -> exp.Expression:
    """``CASE [this] WHEN a THEN b ... ELSE default END``; just ``default`` (or NULL) when
    there are no pairs."""
    if not pairs:
        return default if default is not None else exp.null()
    return exp.Case(this=this, ifs=[exp.If(this=w, true=t) for w, t in pairs], default=default)
