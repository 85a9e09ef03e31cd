"""The ledger's everyday commands: ``init``, ``ingest``, ``summary``, ``simulate``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from socialcredit.cli.options import (
    JsonOption,
    open_store,
    out,
    print_json,
    progress,
    settings,
)
from socialcredit.errors import InvalidTime


def init(ctx: typer.Context) -> None:
    """Create or upgrade the store and load the configured policy packs and providers."""
    from socialcredit.ledger.bootstrap import init_store

    config = settings(ctx)
    summary = init_store(open_store(ctx, require=False), config)
    out.print(
        f"store ready at {config.db} (schema {summary.revision}); packs "
        f"{', '.join(summary.loaded.packs)}: {summary.loaded.categories} categories, "
        f"{summary.loaded.providers} providers changed"
    )
    if summary.activated:
        out.print(f"activated: {', '.join(summary.activated)}")


def ingest(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(help="JSONL, CSV or Parquet record files.")],
    provider: Annotated[
        str | None,
        typer.Option(
            help="The provider the files come from: fills a missing `provider`, refuses others."
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Validate and append records; exit 2 if any record or file was refused."""
    from socialcredit.ledger import sources
    from socialcredit.services.ingest import ingestor as make_ingestor

    config = settings(ctx)
    ingestor = make_ingestor(
        open_store(ctx),
        provider=provider,
        batch_size=config.ingest_batch,
        workers=config.ingest_workers,
    )
    total = sum(sources.count_items(p) for p in files if p.exists())
    with progress() as bar:
        task = bar.add_task("ingesting", total=total)
        result = ingestor.ingest_files(files, progress=lambda n: bar.advance(task, n))
    if as_json:
        body = result.to_dict()
        keys = ("accepted", "duplicates", "rejected", "files_refused", "errors", "errors_truncated")
        print_json({k: body[k] for k in keys})
    else:
        table = Table(title="ingestion")
        for col in ("accepted", "duplicates", "rejected", "subjects created"):
            table.add_column(col, justify="right")
        table.add_row(
            str(result.accepted),
            str(result.duplicates),
            str(result.rejected),
            str(result.subjects_created),
        )
        out.print(table)
        for code, n in sorted(result.codes.items()):
            out.print(f"  rejected {code}: {n}")
        if result.files_refused:
            out.print(f"  files refused: {result.files_refused}")
        for error in result.errors[:20]:
            where = f"{error.file}:" if error.file else "line "
            out.print(f"  {where}{error.line}: {error.code}: {error.message}")
        if len(result.errors) > 20:
            more = result.rejected + result.files_refused - 20
            out.print(f"  … and {more} more (use --json for all)")
    raise typer.Exit(2 if result.failed else 0)


def summary(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Subjects by kind, records by domain and provider."""
    from socialcredit.cli.render import summary_tables
    from socialcredit.ledger.summary import summarise

    with open_store(ctx).reader() as conn:
        result = summarise(conn)
    if as_json:
        print_json(result.to_dict())
        return
    for table in summary_tables(result):
        out.print(table)


def simulate(
    out_dir: Annotated[Path, typer.Option("--out", help="Folder to write the city into.")],
    persons: Annotated[int, typer.Option(min=1, help="Number of persons.")] = 100_000,
    enterprises: Annotated[int, typer.Option(min=1, help="Number of enterprises.")] = 10_000,
    years: Annotated[int, typer.Option(min=1, max=30, help="Years of behaviour.")] = 5,
    seed: Annotated[int, typer.Option(help="Random seed: same seed, same output.")] = 1,
    end: Annotated[
        str | None, typer.Option(help="Last day simulated (YYYY-MM-DD; default today).")
    ] = None,
    fmt: Annotated[
        list[str] | None,
        typer.Option("--format", help="Output formats: jsonl, parquet (repeatable)."),
    ] = None,
    hinted: Annotated[
        float,
        typer.Option(
            min=0.0,
            max=1.0,
            help="Share of the hinted categories' records about persons written without "
            "identifier, with a subject hint (true subjects in truth-hinted.parquet).",
        ),
    ] = 0.0,
) -> None:
    """Write a synthetic city: providers, records (JSONL, Parquet) and ground truth."""
    from socialcredit.simulate import simulate as run

    try:
        end_day = dt.date.fromisoformat(end) if end else dt.date.today()
    except ValueError:
        raise InvalidTime(f"--end: {end!r} is not a date") from None
    with progress() as bar:
        tasks: dict[str, Any] = {}

        def advance(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        result = run(
            out_dir,
            persons=persons,
            enterprises=enterprises,
            years=years,
            seed=seed,
            end=end_day,
            formats=tuple(fmt or ("jsonl", "parquet")),
            progress=advance,
            hinted=hinted,
        )
    out.print(
        f"wrote {result.records:,} records about {sum(result.subjects.values()):,} "
        f"subjects and {result.providers} providers to {out_dir}"
    )
