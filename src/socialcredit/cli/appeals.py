"""``socialcredit appeals file|suspend|decide``: the appeal against an objection
decision (once, within 10 days of it) and the second reviewer's steps."""

from __future__ import annotations

from typing import Annotated

import typer

from socialcredit.cli.cases import (
    ByOption,
    CaseArg,
    CorrectionOption,
    ReasonsOption,
    choice,
    read_correction,
    show,
)
from socialcredit.cli.options import JsonOption, open_store
from socialcredit.services.ingest import ingestor

app = typer.Typer(
    no_args_is_help=True, help="Appeals of objection decisions: file, suspend, decide."
)


@app.command("file")
def appeals_file(
    ctx: typer.Context,
    case: CaseArg,
    grounds: Annotated[str, typer.Option(help="Why the decision is wrong.")],
    evidence: Annotated[str | None, typer.Option(help="Supporting evidence.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Appeal an objection decision: once, within 10 days of it."""
    from socialcredit.remedies.appeals import file_appeal

    store = open_store(ctx)
    show(store, file_appeal(ingestor(store), case, grounds, evidence), as_json)


@app.command("suspend")
def appeals_suspend(
    ctx: typer.Context,
    case: CaseArg,
    reasons: Annotated[str | None, typer.Option(help="Why (kept in the ledger).")] = None,
    by: ByOption = "cli",
    as_json: JsonOption = False,
) -> None:
    """The second reviewer suspends the listing until the appeal is decided."""
    from socialcredit.remedies.appeals import suspend_listing

    store = open_store(ctx)
    show(store, suspend_listing(ingestor(store), case, by, reasons), as_json, reassess=True)


@app.command("decide")
def appeals_decide(
    ctx: typer.Context,
    case: CaseArg,
    outcome: Annotated[str, typer.Option(help="upheld or overturned.")],
    reasons: ReasonsOption,
    correction: CorrectionOption = None,
    by: ByOption = "cli",
    as_json: JsonOption = False,
) -> None:
    """The second reviewer decides the appeal: overturned withdraws the record (or
    corrects it with --correction)."""
    from socialcredit.remedies.appeals import APPEAL_OUTCOMES, decide_appeal

    chosen = choice(outcome, APPEAL_OUTCOMES, "--outcome")
    store = open_store(ctx)
    fixed = read_correction(correction)
    show(
        store,
        decide_appeal(ingestor(store), case, chosen, reasons, by, correction=fixed),
        as_json,
        reassess=True,
    )
