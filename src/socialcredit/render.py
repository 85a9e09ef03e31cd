"""Rich tables for the CLI and the demo."""

from __future__ import annotations

from rich.table import Table

from socialcredit.ledger.summary import LedgerSummary


def _table(title: str, head: str, rows: dict[str, int]) -> Table:
    table = Table(title=title)
    table.add_column(head)
    table.add_column("count", justify="right")
    for key, n in rows.items():
        table.add_row(key, f"{n:,}")
    return table


def summary_tables(summary: LedgerSummary) -> list[Table]:
    kinds = dict(summary.subjects_by_kind)
    kinds["official (persons holding office)"] = summary.officials
    return [
        _table("subjects by kind", "kind", kinds),
        _table("records by domain", "domain", summary.records_by_domain),
        _table("records by provider kind", "provider", summary.records_by_provider_kind),
    ]
