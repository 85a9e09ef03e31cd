"""What an engine adapter supplies to the dialect-neutral compiler.

The compiler writes every step of docs/engine.md once, as sqlglot
expressions in sqlglot's neutral dialect. An adapter says what its engine
supports and supplies the few things that differ: how a snapshot table is
read, how attributes are pulled out of the JSON text, and date arithmetic.
It renders the finished tree in its engine's dialect.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from sqlglot import exp

from socialcredit.errors import SocialCreditError

SNAPSHOT_TABLES = ("records", "subjects", "record_links")


@dataclass(frozen=True)
class AttrColumns:
    """The typed columns of one attribute, as the compiler reads them.

    * ``kind``: ``'s'`` string, ``'n'`` number, ``'b'`` boolean, ``'z'`` JSON null,
      ``'o'`` array or object; NULL when the record lacks the attribute;
    * ``string``: the value when it is a string;
    * ``number``: the value as DOUBLE when it is a number or a boolean (1 or 0);
    * ``key``: the act-key text: the string itself, or a number's or boolean's
      canonical JSON text exactly as stored.
    """

    kind: exp.Expr
    string: exp.Expr
    number: exp.Expr
    key: exp.Expr


@dataclass(frozen=True)
class AttrSpec:
    """One attribute the compiled rules read, and which of its views they need."""

    name: str
    index: int
    string: bool
    number: bool
    key: bool


def attr_columns(index: int) -> AttrColumns:
    """The names the compiler refers to: ``a{i}_t``, ``a{i}_s``, ``a{i}_n``, ``a{i}_k``."""
    return AttrColumns(
        kind=exp.column(f"a{index}_t"),
        string=exp.column(f"a{index}_s"),
        number=exp.column(f"a{index}_n"),
        key=exp.column(f"a{index}_k"),
    )


def json_key_pattern(name: str) -> str:
    """A regex finding ``"name":`` as an object key of flat canonical JSON (sorted keys,
    no spaces): preceded by ``{`` or ``,`` it cannot be inside a string, where a quote
    is always escaped."""
    encoded = name.replace("\\", "\\\\").replace('"', '\\"')
    return '[{,]"' + re.escape(encoded) + '":'


class UnsupportedEngine(SocialCreditError):
    """No adapter for that engine, or it lacks a feature the evaluation needs."""

    code = "unsupported_engine"
    status = 400


class Adapter(ABC):
    """One execution engine, as the batch compiler sees it."""

    name: ClassVar[str]
    dialect: ClassVar[str]  # sqlglot dialect the SQL is rendered in
    # 'execute': socialcredit can run the SQL on this engine itself;
    # 'json_kinds': attribute values keep their JSON kind (string 5 is not number 5);
    # 'window': ROW_NUMBER and LAG; 'parquet': reads the snapshot's Parquet files
    supports: ClassVar[frozenset[str]]

    def require(self, feature: str) -> None:
        if feature not in self.supports:
            raise UnsupportedEngine(
                f"the {self.name} adapter does not support {feature}", field="engine"
            )

    @abstractmethod
    def source(self, table: str) -> exp.Table:
        """A FROM item (without alias) reading one snapshot table: records, subjects or
        record_links, with the columns of ``socialcredit.engine.batch.snapshot``."""

    @abstractmethod
    def typed_attributes(
        self, source: str, columns: Sequence[str], attrs: Sequence[AttrSpec]
    ) -> exp.Select:
        """SELECT ``columns`` and the typed columns of ``attrs`` from the CTE ``source``
        (which has the records' ``attributes`` JSON text)."""

    def materialized(self, keep: bool | None) -> bool | None:
        """The hint a CTE gets in this engine's SQL (``AS [NOT] MATERIALIZED``) when the
        compiler would have it kept for its readers (``keep`` True) or computed for each
        (False); None: no hint (the engine decides, or takes none)."""
        return None

    def add_days(self, day: exp.Expr, days: exp.Expr) -> exp.Expr:
        """A DATE ``days`` days after ``day``."""
        return exp.DateAdd(this=day, expression=days, unit=exp.var("DAY"))

    def days_between(self, start: exp.Expr, end: exp.Expr) -> exp.Expr:
        """Whole days from ``start`` to ``end`` (both DATE), as an integer."""
        return exp.DateDiff(this=end, expression=start, unit=exp.var("DAY"))

    def date(self, value: str) -> exp.Expr:
        return exp.cast(exp.Literal.string(value), exp.DataType.Type.DATE)

    def timestamp(self, value: str) -> exp.Expr:
        return exp.cast(exp.Literal.string(value), exp.DataType.Type.TIMESTAMP)

    def render(self, expression: exp.Expr, pretty: bool = True) -> str:
        return expression.sql(dialect=self.dialect, pretty=pretty)
