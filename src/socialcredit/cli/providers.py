"""``socialcredit providers register|list``: the bodies that may report records."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from socialcredit.cli.options import JsonOption, open_store, out, print_json, settings
from socialcredit.errors import NotFound

app = typer.Typer(no_args_is_help=True, help="Data providers: register, list.")


@app.command("register")
def providers_register(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="JSONL or YAML list of providers.")],
) -> None:
    """Register providers: id, kind, name, jurisdiction, optional narrower categories."""
    from socialcredit.ledger.bootstrap import configured_packs
    from socialcredit.ledger.registry import read_provider_file, register_providers

    store = open_store(ctx)
    if not file.exists():
        raise NotFound(f"{file}: no such file")
    n = register_providers(store, read_provider_file(file), configured_packs(settings(ctx)))
    out.print(f"{n} providers registered or changed")


@app.command("list")
def providers_list(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List registered providers and how many categories each may report."""
    from socialcredit.ledger.registry import authorisations
    from socialcredit.store.tables import providers

    with open_store(ctx).reader() as conn:
        rows = list(conn.execute(providers.select().order_by(providers.c.id)))
        auth = authorisations(conn)
    if as_json:
        print_json(
            [
                {
                    "id": r.id,
                    "kind": r.kind,
                    "name": r.name,
                    "jurisdiction": r.jurisdiction,
                    "categories": sorted(auth.get(r.id, [])),
                }
                for r in rows
            ]
        )
        return
    table = Table(title="providers")
    for col in ("id", "kind", "name", "jurisdiction", "categories"):
        table.add_column(col)
    for r in rows:
        table.add_row(r.id, r.kind, r.name, r.jurisdiction, str(len(auth.get(r.id, []))))
    out.print(table)
