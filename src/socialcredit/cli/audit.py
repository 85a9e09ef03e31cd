"""``socialcredit audit verify``: recompute the hash chain over every write."""

from __future__ import annotations

import typer

from socialcredit.cli.options import JsonOption, open_store, out, print_json

app = typer.Typer(no_args_is_help=True, help="The hash-chained audit log: verify.")


@app.command("verify")
def audit_verify(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Recompute the hash chain and every record it covers; exit 1 if broken."""
    from socialcredit.store.verify import verify

    with open_store(ctx).reader() as conn:
        result = verify(conn)
    if as_json:
        print_json(result.to_dict())
    elif result.ok:
        out.print(f"audit chain intact: {result.entries} entries, {result.records} records")
    else:
        where = f"entry {result.broken_at}" if result.broken_at else "the ledger"
        out.print(f"[red]audit chain broken at {where}: {result.reason}[/red]")
    raise typer.Exit(0 if result.ok else 1)
