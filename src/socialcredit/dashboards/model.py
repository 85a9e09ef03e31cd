"""A dashboard: its name, its title in English and Chinese, the columns and rows of the
figures behind its chart, and how the chart draws them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Cell = str | int | float | None
Mark = Literal["bar", "line"]


@dataclass(frozen=True)
class Column:
    name: str  # the key in a row, the field in the chart
    title: str
    title_zh: str
    kind: Literal["text", "number", "ratio"] = "text"

    def label(self, chinese: bool) -> str:
        return self.title_zh if chinese else self.title


@dataclass(frozen=True)
class Chart:
    """Which columns the chart puts on its axes: ``x`` a category (or a month),
    ``y`` a number, ``color`` the series, ``facet`` small multiples side by side."""

    mark: Mark
    x: str
    y: str
    color: str | None = None
    facet: str | None = None


@dataclass(frozen=True)
class Dashboard:
    name: str
    title: str
    title_zh: str
    note: str  # what the figures count, in one sentence
    note_zh: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    chart: Chart
    # how a code in a column reads on a page: column -> code -> (English, Chinese)
    labels: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)

    def shown(self, column: str, value: Cell, chinese: bool) -> Cell:
        """A cell as a page shows it: a code by its label in the page's language."""
        found = self.labels.get(column, {})
        if isinstance(value, str) and value in found:
            en, zh = found[value]
            return zh if chinese else en
        return value

    def shown_rows(self, chinese: bool) -> tuple[tuple[Cell, ...], ...]:
        names = [c.name for c in self.columns]
        return tuple(
            tuple(self.shown(name, value, chinese) for name, value in zip(names, row, strict=True))
            for row in self.rows
        )

    def heading(self, chinese: bool) -> str:
        return self.title_zh if chinese else self.title

    def explanation(self, chinese: bool) -> str:
        return self.note_zh if chinese else self.note

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    def column_values(self, name: str) -> list[Cell]:
        at = [c.name for c in self.columns].index(name)
        return [row[at] for row in self.rows]

    def records(self) -> list[dict[str, Cell]]:
        """The rows as mappings from column name to value."""
        names = [c.name for c in self.columns]
        return [dict(zip(names, row, strict=True)) for row in self.rows]

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "title_zh": self.title_zh,
            "note": self.note,
            "note_zh": self.note_zh,
            "columns": [
                {"name": c.name, "title": c.title, "title_zh": c.title_zh, "kind": c.kind}
                for c in self.columns
            ],
            "rows": [list(row) for row in self.rows],
            "labels": {
                column: {code: {"en": en, "zh": zh} for code, (en, zh) in codes.items()}
                for column, codes in self.labels.items()
            },
        }


def zh_title(definition: Any) -> str:
    """A pack definition's Chinese title where the pack gives one, else its title."""
    return str(getattr(definition, "title_zh", None) or getattr(definition, "title", ""))


__all__ = ["Cell", "Chart", "Column", "Dashboard", "Mark", "zh_title"]
