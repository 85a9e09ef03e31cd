"""``backup`` and ``restore``: a consistent online copy of the store, verified."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from socialcredit.cli.options import JsonOption, open_store, out, print_json, settings


def backup(
    ctx: typer.Context,
    target: Annotated[Path, typer.Argument(metavar="OUT", help="The backup file to write.")],
    as_json: JsonOption = False,
) -> None:
    """Back up the store while it is in use (SQLite backup API; pg_dump on PostgreSQL);
    the copy's audit chain is verified before the file appears."""
    from socialcredit.store.backup import backup as make_backup

    store = open_store(ctx)
    try:
        result = make_backup(store, target)
    finally:
        store.close()
    body = {
        "path": str(result.path),
        "engine": result.engine,
        "bytes": result.bytes,
        "chain": result.chain.to_dict(),
    }
    if as_json:
        print_json(body)
        return
    out.print(
        f"backed up to {result.path} ({result.bytes:,} bytes); audit chain intact: "
        f"{result.chain.entries:,} entries, {result.chain.records:,} records"
    )


def restore(
    ctx: typer.Context,
    source: Annotated[Path, typer.Argument(metavar="IN", help="A file made by `backup`.")],
    as_json: JsonOption = False,
) -> None:
    """Restore a backup into an empty store (refused into one that holds records) and
    verify its audit chain."""
    from socialcredit.store.backup import restore as do_restore

    chain = do_restore(source, settings(ctx).db)
    if as_json:
        print_json({"restored": str(source), "chain": chain.to_dict()})
        return
    out.print(
        f"restored {source}; audit chain intact: {chain.entries:,} entries, "
        f"{chain.records:,} records"
    )
