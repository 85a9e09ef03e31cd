"""``socialcredit safeguards audit``: check the live state against the safeguards;
exit 1 on any violation."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from socialcredit.cli.options import JsonOption, open_store, out, print_json

app = typer.Typer(no_args_is_help=True, help="Safeguards: audit the live state.")


@app.command("audit")
def safeguards_audit(
    ctx: typer.Context,
    days: Annotated[
        int, typer.Option("--days", min=1, help="Check decisions logged in the last N days.")
    ] = 30,
    as_json: JsonOption = False,
) -> None:
    """Check the live state against the safeguards: the active packs as stored (the whole
    lint, the Basic List), every live list entry, the measures enforced, consent, timing,
    red lists, stale entries, overdue cases and recent decisions; local additions are
    listed for review. Exit 1 if any safeguard is violated."""
    from socialcredit.safeguards.audit import audit_safeguards

    result = audit_safeguards(open_store(ctx), days=days)
    if as_json:
        print_json(result.to_dict())
    else:
        table = Table(
            title=f"safeguards audit ({result.entries} entries, "
            f"{result.decisions} decisions in {days} days)"
        )
        for col in ("check", "checked", "violations"):
            table.add_column(col)
        for name, count in result.counts.items():
            table.add_row(name, str(count.checked), str(count.violations))
        out.print(table)
        for v in result.violations:
            out.print(f"[red]✗[/red] {v.text()}", highlight=False)
        for v in result.review:
            out.print(f"[yellow]?[/yellow] for review: {v.item}: {v.message}", highlight=False)
        for note in result.notes:
            out.print(f"note: {note}", highlight=False)
        out.print("all safeguards hold" if result.ok else f"{len(result.violations)} violation(s)")
    raise typer.Exit(0 if result.ok else 1)
