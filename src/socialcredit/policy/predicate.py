"""The predicate language of scoring rules and list criteria: data, never Python.

A predicate is one of::

    {attr: NAME, eq|ne|lt|lte|gt|gte: VALUE}
    {attr: NAME, in: [VALUE, ...]}
    {attr: NAME, exists: true|false}
    {all: [PREDICATE, ...]}
    {any: [PREDICATE, ...]}
    {not: PREDICATE}

Two-valued logic: a comparison on an attribute the record lacks is false
(never unknown), so ``not`` of it is true. Every engine must honour this;
the SQL compiler wraps comparisons in ``COALESCE(..., FALSE)``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator

Scalar = str | int | float | bool
COMPARATORS = ("eq", "ne", "lt", "lte", "gt", "gte")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Compare(_Strict):
    attr: str
    eq: Scalar | None = None
    ne: Scalar | None = None
    lt: float | str | None = None
    lte: float | str | None = None
    gt: float | str | None = None
    gte: float | str | None = None
    in_: tuple[Scalar, ...] | None = Field(default=None, alias="in")
    exists: bool | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Compare:
        given = [op for op in (*COMPARATORS, "in_", "exists") if getattr(self, op) is not None]
        if len(given) != 1:
            raise ValueError(
                "a comparison needs exactly one of eq, ne, lt, lte, gt, gte, in, exists"
            )
        return self

    @property
    def op(self) -> str:
        for op in (*COMPARATORS, "in_", "exists"):
            if getattr(self, op) is not None:
                return "in" if op == "in_" else op
        raise AssertionError  # pragma: no cover

    @property
    def value(self) -> Any:
        return getattr(self, "in_" if self.op == "in" else self.op)


class All(_Strict):
    all: tuple[Predicate, ...] = Field(min_length=1)


class AnyOf(_Strict):
    any: tuple[Predicate, ...] = Field(min_length=1)


class Not(_Strict):
    not_: Predicate = Field(alias="not")


def _tag(value: Any) -> str | None:
    if isinstance(value, dict):
        for key, tag in (("attr", "compare"), ("all", "all"), ("any", "any"), ("not", "not")):
            if key in value:
                return tag
        return None
    tags: dict[type[BaseModel], str] = {Compare: "compare", All: "all", AnyOf: "any", Not: "not"}
    return tags.get(type(value))


Predicate = Annotated[
    Annotated[Compare, Tag("compare")]
    | Annotated[All, Tag("all")]
    | Annotated[AnyOf, Tag("any")]
    | Annotated[Not, Tag("not")],
    Discriminator(
        _tag,
        custom_error_type="invalid_predicate",
        custom_error_message="a predicate has `attr`, `all`, `any` or `not`",
    ),
]
All.model_rebuild()
AnyOf.model_rebuild()
Not.model_rebuild()


def attributes_read(pred: Predicate | None) -> list[str]:
    """Every attribute name a predicate reads."""
    if pred is None:
        return []
    if isinstance(pred, Compare):
        return [pred.attr]
    if isinstance(pred, All):
        return [a for p in pred.all for a in attributes_read(p)]
    if isinstance(pred, AnyOf):
        return [a for p in pred.any for a in attributes_read(p)]
    return attributes_read(pred.not_)


def evaluate(pred: Predicate | None, attributes: dict[str, Any]) -> bool:
    """Evaluate a predicate against a record's attributes (two-valued logic)."""
    if pred is None:
        return True
    if isinstance(pred, All):
        return all(evaluate(p, attributes) for p in pred.all)
    if isinstance(pred, AnyOf):
        return any(evaluate(p, attributes) for p in pred.any)
    if isinstance(pred, Not):
        return not evaluate(pred.not_, attributes)
    value = attributes.get(pred.attr)
    op = pred.op
    if op == "exists":
        return (value is not None) == pred.exists
    if value is None:
        return False
    target = pred.value
    if op == "in":
        return bool(value in target)
    try:
        match op:
            case "eq":
                return bool(value == target)
            case "ne":
                return bool(value != target)
            case "lt":
                return bool(value < target)
            case "lte":
                return bool(value <= target)
            case "gt":
                return bool(value > target)
            case "gte":
                return bool(value >= target)
    except TypeError:
        return False
    raise AssertionError(op)  # pragma: no cover


_WORDS = {"eq": "is", "ne": "is not", "lt": "<", "lte": "<=", "gt": ">", "gte": ">="}


def describe(pred: Predicate | None) -> str:
    """A predicate in words, for notices and reports (``how is one of paid_in_full, …``)."""
    if pred is None:
        return ""
    if isinstance(pred, All):
        return " and ".join(_part(p) for p in pred.all)
    if isinstance(pred, AnyOf):
        return " or ".join(_part(p) for p in pred.any)
    if isinstance(pred, Not):
        return f"not {_part(pred.not_)}"
    op = pred.op
    if op == "in":
        return f"{pred.attr} is one of {', '.join(str(v) for v in pred.value)}"
    if op == "exists":
        return f"{pred.attr} is {'given' if pred.exists else 'absent'}"
    return f"{pred.attr} {_WORDS[op]} {pred.value}"


def _part(pred: Predicate) -> str:
    text = describe(pred)
    return f"({text})" if isinstance(pred, (All, AnyOf)) else text


PredicateKind = Literal["compare", "all", "any", "not"]
