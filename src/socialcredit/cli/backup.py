"""``backup`` and ``restore``: a consistent online copy of the store, verified; ``export``:
the ledger as of a transaction time, as Parquet for the batch engines."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from socialcredit.cli.options import (
    JsonOption,
    KnownAtOption,
    instant,
    open_store,
    out,
    print_json,
    settings,
)
from socialcredit.clock import naive_utc


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


def export(
    ctx: typer.Context,
    out_dir: Annotated[Path, typer.Option("--out", help="An empty or new folder to write.")],
    fmt: Annotated[str, typer.Option("--format", help="File format: parquet.")] = "parquet",
    known_at: KnownAtOption = None,
    rows_per_group: Annotated[
        int,
        typer.Option(min=1_000, help="Rows per Parquet row group (the unit of parallel reading)."),
    ] = 100_000,
    as_json: JsonOption = False,
) -> None:
    """A consistent snapshot of the ledger and the registry as of a transaction time
    (default now), as Parquet that DuckDB and Spark read in parallel (row groups):
    records, subjects, record_links and snapshot.json; `evaluate --snapshot` takes it."""
    from socialcredit.engine.batch import export_snapshot

    if fmt != "parquet":
        raise typer.BadParameter(f"{fmt!r}: the only format is parquet", param_hint="--format")
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        raise typer.BadParameter(f"{out_dir} is not an empty folder", param_hint="--out")
    store = open_store(ctx)
    try:
        when = instant(known_at) or store.clock.now()
        snap = export_snapshot(store, out_dir, naive_utc(when), chunk=rows_per_group)
    finally:
        store.close()
    body = {
        "folder": str(snap.folder),
        "known_at": snap.known_at.isoformat(),
        "records": snap.records,
        "subjects": snap.subjects,
        "record_links": snap.record_links,
    }
    if as_json:
        print_json(body)
        return
    out.print(
        f"exported {snap.records:,} records, {snap.subjects:,} subjects and "
        f"{snap.record_links:,} links known at {snap.known_at.isoformat()} to {snap.folder}"
    )
