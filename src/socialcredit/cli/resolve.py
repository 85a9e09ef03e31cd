"""``socialcredit resolve [--train] [--review] [--engine E]``, ``resolve confirm|reject ID``.

Entity resolution of the records that arrived without an identifier
(:mod:`socialcredit.resolution`): score every unlinked one against the registry under
the latest match model (trained first if there is none, or with ``--train``) and the
pack's thresholds; ``--review`` lists the reviewer's queue; ``confirm`` and ``reject``
are the reviewer's decisions. Only a confirmed link may ground a list entry or a measure.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from socialcredit.cli.cases import ByOption
from socialcredit.cli.options import JsonOption, open_store, out, print_json
from socialcredit.errors import InvalidOption
from socialcredit.services.ingest import ingestor

app = typer.Typer(
    help="Entity resolution of records without identifiers: resolve, review, confirm, reject.",
    invoke_without_command=True,
)
RecordArg = Annotated[str, typer.Argument(help="Id of the record without identifier.")]


@app.callback()
def resolve(
    ctx: typer.Context,
    train: Annotated[
        bool, typer.Option("--train", help="Estimate a new match model version first.")
    ] = False,
    review: Annotated[
        bool, typer.Option("--review", help="List the reviewer's queue instead of resolving.")
    ] = False,
    engine: Annotated[
        str,
        typer.Option(
            "--engine",
            help="Where splink computes: duckdb (in process) or spark (a local Spark "
            "session, for national scale).",
        ),
    ] = "duckdb",
    as_json: JsonOption = False,
) -> None:
    """Match every unlinked record without identifier to the registry: linked from the
    pack's upper threshold, sent to review from the lower one, else left unlinked."""
    if ctx.invoked_subcommand is not None:
        return
    from socialcredit.resolution.matcher import ENGINES
    from socialcredit.resolution.resolve import resolve as run
    from socialcredit.resolution.resolve import review_queue, settings_now

    if engine not in ENGINES:
        raise InvalidOption(
            f"--engine: {engine!r} is not one of {', '.join(ENGINES)}", field="engine"
        )

    store = open_store(ctx)
    try:
        if review:
            queue = review_queue(store)
            if as_json:
                print_json(queue)
                return
            table = Table(title=f"{len(queue)} record(s) waiting for a reviewer")
            for col in ("id", "category", "provider", "hint", "candidate", "probability"):
                table.add_column(col)
            for q in queue:
                hint = " ".join(str(v) for v in q["hint"].values())
                table.add_row(q["id"], q["category"], q["provider"], hint,
                              q["candidate"] or "", f"{q['probability'] or 0:.4f}")  # fmt: skip
            out.print(table)
            return
        settings = settings_now(store)
        result = run(store, ingestor(store), settings, retrain=train, engine=engine)
    finally:
        store.close()
    body = result.to_dict() | {"upper": settings.upper, "lower": settings.lower}
    if as_json:
        print_json(body)
        return
    out.print(
        f"model {body['model'] or '(none: no registry or nothing to resolve)'}: "
        f"{body['scored']} record(s) scored against {body['persons']} person(s)"
    )
    out.print(
        f"linked {body['linked']} (from {settings.upper:g}), review {body['review']} "
        f"(from {settings.lower:g}), unlinked {body['unlinked']}"
    )


@app.command("confirm")
def resolve_confirm(
    ctx: typer.Context,
    record: RecordArg,
    by: ByOption,
    subject: Annotated[
        str | None, typer.Option("--subject", help="The person, if not the candidate.")
    ] = None,
) -> None:
    """A reviewer confirms a link: the record then counts for the person, lists included."""
    from socialcredit.resolution.resolve import confirm

    store = open_store(ctx)
    try:
        person = confirm(store, ingestor(store), record, by, subject)
    finally:
        store.close()
    out.print(f"record {record} linked to {person}, confirmed by {by}")


@app.command("reject")
def resolve_reject(ctx: typer.Context, record: RecordArg, by: ByOption) -> None:
    """A reviewer finds the candidate is not the person: the record stays unlinked."""
    from socialcredit.resolution.resolve import reject

    store = open_store(ctx)
    try:
        reject(store, record, by)
    finally:
        store.close()
    out.print(f"record {record}: candidate rejected by {by}; it counts nowhere")
