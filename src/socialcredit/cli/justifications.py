"""``socialcredit justifications request|answer|decide|feed``: the review of decisions
the judges' analytic flags (docs/supervision.md).

``request`` runs the analytic and opens a justification request for every flagged
decision without one; the judge's court answers with text; a reviewer finds the
answer justified or unjustified; ``feed`` reports each judge's share of unjustified
findings to the judicial domain, where the pack allows it. The cases appear in
``socialcredit cases``.
"""

from __future__ import annotations

from typing import Annotated

import typer

from socialcredit.cli.cases import ByOption, CaseArg, ReasonsOption, choice, show
from socialcredit.cli.options import (
    JsonOption,
    KnownAtOption,
    instant,
    open_store,
    out,
    print_json,
)
from socialcredit.cli.supervise import UntilOption, day_option
from socialcredit.services.ingest import ingestor

app = typer.Typer(
    no_args_is_help=True,
    help="Justification of flagged decisions: request, answer, decide, feed.",
)


@app.command("request")
def justifications_request(
    ctx: typer.Context,
    known_at: KnownAtOption = None,
    by: ByOption = "cli",
    as_json: JsonOption = False,
) -> None:
    """Run the judges' analytic and request a justification of each flagged decision."""
    from socialcredit.cli.render import cases_table
    from socialcredit.supervision.judges import supervise_judges
    from socialcredit.supervision.justification import request_flagged

    store = open_store(ctx)
    report = supervise_judges(store, known_at=instant(known_at))
    opened = [v.to_dict() for v in request_flagged(ingestor(store), report, by)]
    if as_json:
        print_json({"flagged": len(report.flags), "opened": opened})
        return
    out.print(f"{len(report.flags)} decisions flagged, {len(opened)} requests opened")
    if opened:
        out.print(cases_table(opened))


@app.command("answer")
def justifications_answer(
    ctx: typer.Context,
    case: CaseArg,
    text: Annotated[str, typer.Option("--text", help="The court's justification.")],
    provider: Annotated[
        str | None, typer.Option("--provider", help="The answering court's provider id.")
    ] = None,
    by: ByOption = "cli",
    as_json: JsonOption = False,
) -> None:
    """The judge's court explains the decision."""
    from socialcredit.remedies.justification import answer_justification

    store = open_store(ctx)
    view = answer_justification(ingestor(store), case, text, answered_by=by, provider=provider)
    show(store, view, as_json)


@app.command("decide")
def justifications_decide(
    ctx: typer.Context,
    case: CaseArg,
    outcome: Annotated[str, typer.Option(help="justified or unjustified.")],
    reasons: ReasonsOption,
    by: ByOption = "cli",
    as_json: JsonOption = False,
) -> None:
    """A reviewer finds the court's justification sufficient or not."""
    from socialcredit.remedies.justification import FINDINGS, decide_justification

    store = open_store(ctx)
    finding = choice(outcome, FINDINGS, "--outcome")
    show(store, decide_justification(ingestor(store), case, finding, reasons, by), as_json)


@app.command("feed")
def justifications_feed(
    ctx: typer.Context, until: UntilOption = None, as_json: JsonOption = False
) -> None:
    """Report each judge's share of unjustified findings, where the pack allows it."""
    from socialcredit.supervision.feed import feed_unjustified_shares

    store = open_store(ctx)
    shares = feed_unjustified_shares(ingestor(store), until=day_option(until, "until"))
    body = [x.to_dict() for x in shares]
    if as_json:
        print_json(body)
        return
    out.print(f"{len(body)} shares reported")
    for row in body:
        out.print(
            f"  {row['judge']}: {row['unjustified']}/{row['decided']} unjustified "
            f"({row['period_start']} … {row['period_end']})"
        )
