"""``socialcredit keys create|list|revoke``: API keys for relying parties, their
scopes (actions, action patterns or roles) and rate limits."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.table import Table

from socialcredit.cli.options import JsonOption, open_store, out, print_json

app = typer.Typer(no_args_is_help=True, help="API keys for relying parties: create, list, revoke.")


@app.command("create")
def keys_create(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Who the key is for.")],
    scope: Annotated[
        list[str],
        typer.Option(
            help="Action (procurement.bid), action pattern (transport.air.*) or role "
            "(role:reviewer); repeatable. A bare * is refused."
        ),
    ],
    rate: Annotated[
        float | None,
        typer.Option(help="Requests a second the key may make (default: api_rate_limit)."),
    ] = None,
) -> None:
    """Create an API key; the token is printed once."""
    from socialcredit.access.keys import create_key

    key, token = create_key(open_store(ctx), name, scope, rate)
    limit = f"{key.rate:g}/s" if key.rate is not None else "the default rate"
    out.print(f"key {key.id} for {name}: {', '.join(key.scopes)} ({limit})")
    sys.stdout.write(token + "\n")


@app.command("list")
def keys_list(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """API keys with their scopes and rate limits (never their secrets)."""
    from socialcredit.access.keys import list_keys

    keys = list_keys(open_store(ctx))
    if as_json:
        print_json(keys)
        return
    table = Table(title="API keys")
    for col in ("id", "name", "scopes", "rate/s", "created", "revoked"):
        table.add_column(col)
    for k in keys:
        rate = k["rate_per_second"]
        table.add_row(
            str(k["id"]),
            str(k["name"]),
            ", ".join(map(str, k["scopes"])),
            "default" if rate is None else f"{rate:g}",
            str(k["created_at"])[:19],
            str(k["revoked_at"] or "")[:19],
        )
    out.print(table)


@app.command("revoke")
def keys_revoke(ctx: typer.Context, key_id: Annotated[str, typer.Argument()]) -> None:
    """Revoke an API key."""
    from socialcredit.access.keys import revoke_key

    revoke_key(open_store(ctx), key_id)
    out.print(f"revoked {key_id}")
