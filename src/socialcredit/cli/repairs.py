"""``socialcredit repairs apply|decide``: credit repair -- early end of a record's
effect or early removal from a list, after the minimum publicity period."""

from __future__ import annotations

from typing import Annotated

import typer

from socialcredit.cli.cases import ByOption, CaseArg, ReasonsOption, show
from socialcredit.cli.options import JsonOption, SubjectArg, open_store
from socialcredit.services.ingest import ingestor

app = typer.Typer(no_args_is_help=True, help="Credit repair: apply, decide.")


@app.command("apply")
def repairs_apply(
    ctx: typer.Context,
    subject: SubjectArg,
    record: Annotated[
        str | None, typer.Option("--record", help="Record id whose effect should end early.")
    ] = None,
    entry: Annotated[
        str | None, typer.Option("--entry", help="List entry id to be removed early.")
    ] = None,
    pledge: Annotated[bool, typer.Option("--pledge", help="A public credit pledge.")] = False,
    course: Annotated[
        bool, typer.Option("--course", help="A credit-repair course completed.")
    ] = False,
    fulfilment: Annotated[
        str | None, typer.Option(help="Record id showing the obligation fulfilled.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Apply for credit repair of a record or a list entry (after the minimum period)."""
    from socialcredit.remedies.repair import Showing, apply_repair

    store = open_store(ctx)
    showing = Showing(pledge=pledge, course=course, fulfilment=fulfilment)
    show(
        store,
        apply_repair(ingestor(store), subject, record=record, entry=entry, showing=showing),
        as_json,
    )


@app.command("decide")
def repairs_decide(
    ctx: typer.Context,
    case: CaseArg,
    reasons: ReasonsOption,
    accept: Annotated[bool, typer.Option("--accept/--refuse", help="Accept or refuse.")],
    by: ByOption = "cli",
    as_json: JsonOption = False,
) -> None:
    """Accept (effective today, published at once) or refuse a repair application."""
    from socialcredit.remedies.repair import decide_repair

    store = open_store(ctx)
    show(store, decide_repair(ingestor(store), case, accept, reasons, by), as_json, reassess=True)
