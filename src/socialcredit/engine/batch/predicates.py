"""Predicates compiled to SQL with the two-valued logic of ``policy.predicate``.

The SQL reads typed attribute columns (see ``adapters.base.AttrColumns``): the
JSON kind of the value (``'s'`` string, ``'n'`` number, ``'b'`` boolean,
``'z'`` null, ``'o'`` array or object; NULL when absent), its string value and
its numeric value (booleans as 1 and 0, as Python compares them). Every
comparison is wrapped in ``COALESCE(..., FALSE)``, so a comparison on a
missing attribute is false and ``not`` of it is true.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlglot import exp

from socialcredit.engine.batch.adapters.base import AttrColumns
from socialcredit.engine.batch.sql import double, string
from socialcredit.policy.predicate import All, AnyOf, Compare, Not, Predicate

_OPS: dict[str, type[exp.Binary]] = {
    "lt": exp.LT,
    "lte": exp.LTE,
    "gt": exp.GT,
    "gte": exp.GTE,
}
NUMERIC_KINDS = ("n", "b")


def kind_in(col: AttrColumns, kinds: tuple[str, ...]) -> exp.Expr:
    if len(kinds) == 1:
        return exp.EQ(this=col.kind.copy(), expression=string(kinds[0]))
    return exp.In(this=col.kind.copy(), expressions=[string(k) for k in kinds])


def present(col: AttrColumns) -> exp.Expr:
    """The attribute is there and not JSON null (Python: ``value is not None``)."""
    return exp.and_(
        exp.Not(this=exp.Is(this=col.kind.copy(), expression=exp.Null())),
        exp.NEQ(this=col.kind.copy(), expression=string("z")),
    )


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float)  # bool is an int: True == 1 in Python


def _equals(col: AttrColumns, values: list[Any]) -> exp.Expr:
    """Python's ``value == v`` for any v in values (numbers and booleans compare numerically)."""
    parts: list[exp.Expr] = []
    texts = [v for v in values if isinstance(v, str)]
    numbers = [float(v) for v in values if _is_number(v)]
    if texts:
        test: exp.Expr = (
            exp.EQ(this=col.string.copy(), expression=string(texts[0]))
            if len(texts) == 1
            else exp.In(this=col.string.copy(), expressions=[string(t) for t in texts])
        )
        parts.append(exp.and_(kind_in(col, ("s",)), test))
    if numbers:
        test = (
            exp.EQ(this=col.number.copy(), expression=double(numbers[0]))
            if len(numbers) == 1
            else exp.In(this=col.number.copy(), expressions=[double(n) for n in numbers])
        )
        parts.append(exp.and_(kind_in(col, NUMERIC_KINDS), test))
    if not parts:
        return exp.false()
    return exp.or_(*parts) if len(parts) > 1 else parts[0]


def _compare(c: Compare, col: AttrColumns) -> exp.Expr:
    op, target = c.op, c.value
    if op == "exists":
        return present(col) if target else exp.Not(this=exp.paren(present(col)))
    if op == "eq":
        return _equals(col, [target])
    if op == "in":
        return _equals(col, list(target))
    if op == "ne":
        return exp.and_(present(col), exp.Not(this=exp.paren(_equals(col, [target]))))
    cls = _OPS[op]
    if isinstance(target, str):
        return exp.and_(
            kind_in(col, ("s",)), cls(this=col.string.copy(), expression=string(target))
        )
    return exp.and_(
        kind_in(col, NUMERIC_KINDS), cls(this=col.number.copy(), expression=double(target))
    )


def compile_predicate(pred: Predicate | None, columns: Callable[[str], AttrColumns]) -> exp.Expr:
    """SQL for ``pred`` (TRUE when there is none); ``columns`` maps an attribute to its columns."""
    if pred is None:
        return exp.true()
    if isinstance(pred, All):
        return exp.and_(*(exp.paren(compile_predicate(p, columns)) for p in pred.all))
    if isinstance(pred, AnyOf):
        return exp.or_(*(exp.paren(compile_predicate(p, columns)) for p in pred.any))
    if isinstance(pred, Not):
        return exp.Not(this=exp.paren(compile_predicate(pred.not_, columns)))
    return exp.Coalesce(this=_compare(pred, columns(pred.attr)), expressions=[exp.false()])
