"""``socialcredit objections file|accept|answer|decide|list|show|affected``.

A subject contests a record (or a list entry's ground record); the reviewer
accepts the objection, the provider answers it, the reviewer decides
(docs/remedies.md). ``affected`` lists the decisions relying parties received on
records later corrected or withdrawn -- what objections and corrections undo.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from socialcredit.cli.cases import (
    ByOption,
    CaseArg,
    CorrectionOption,
    OverdueOption,
    ReasonsOption,
    choice,
    read_correction,
    show,
)
from socialcredit.cli.options import JsonOption, SubjectArg, open_store, out, print_json
from socialcredit.services.ingest import ingestor

app = typer.Typer(
    no_args_is_help=True,
    help="Objections to records: file, accept, answer, decide, list, show, affected.",
)
OutcomeOption = Annotated[str, typer.Option(help="upheld, corrected or withdrawn.")]


@app.command("file")
def objections_file(
    ctx: typer.Context,
    subject: SubjectArg,
    grounds: Annotated[
        str,
        typer.Option(
            help="wrong, missing, duplicated, outdated, should_not_be_shown or inconsistent."
        ),
    ],
    evidence: Annotated[str, typer.Option(help="What shows the record is wrong.")],
    record: Annotated[str | None, typer.Option("--record", help="Record id contested.")] = None,
    entry: Annotated[
        str | None,
        typer.Option("--entry", help="List entry id (its ground record is contested)."),
    ] = None,
    by: Annotated[
        str | None, typer.Option("--by", help="Identifier of an authorised representative.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Object to a record (or a list entry's ground record); the provider must answer."""
    from socialcredit.remedies.objections import GROUNDS, file_objection

    chosen = choice(grounds, GROUNDS, "--grounds")
    store = open_store(ctx)
    view = file_objection(
        ingestor(store),
        subject,
        record=record,
        entry=entry,
        grounds=chosen,
        evidence=evidence,
        filed_by=by,
    )
    show(store, view, as_json)


@app.command("accept")
def objections_accept(ctx: typer.Context, case: CaseArg, as_json: JsonOption = False) -> None:
    """Accept an objection for review (within 2 working days of filing)."""
    from socialcredit.remedies.objections import accept_objection

    store = open_store(ctx)
    show(store, accept_objection(ingestor(store), case), as_json)


@app.command("answer")
def objections_answer(
    ctx: typer.Context,
    case: CaseArg,
    outcome: OutcomeOption,
    reasons: ReasonsOption,
    correction: CorrectionOption = None,
    provider: Annotated[
        str | None, typer.Option(help="The answering provider (must have reported the record).")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """The provider's answer to an objection; corrected and withdrawn take effect at once."""
    from socialcredit.remedies.objections import OUTCOMES, answer_objection

    chosen = choice(outcome, OUTCOMES, "--outcome")
    store = open_store(ctx)
    fixed = read_correction(correction)
    view = answer_objection(
        ingestor(store), case, chosen, reasons, provider=provider, correction=fixed
    )
    show(store, view, as_json, reassess=True)


@app.command("decide")
def objections_decide(
    ctx: typer.Context,
    case: CaseArg,
    reasons: ReasonsOption,
    outcome: Annotated[
        str | None, typer.Option(help="upheld, corrected or withdrawn (default: the answer's).")
    ] = None,
    correction: CorrectionOption = None,
    by: ByOption = "cli",
    as_json: JsonOption = False,
) -> None:
    """The reviewer's decision on an answered objection; it opens the appeal window."""
    from socialcredit.remedies.objections import OUTCOMES, decide_objection

    chosen = None if outcome is None else choice(outcome, OUTCOMES, "--outcome")
    store = open_store(ctx)
    fixed = read_correction(correction)
    view = decide_objection(ingestor(store), case, reasons, by, outcome=chosen, correction=fixed)
    show(store, view, as_json, reassess=True)


@app.command("list")
def objections_list(
    ctx: typer.Context,
    overdue: OverdueOption = False,
    as_json: JsonOption = False,
) -> None:
    """Open objections (and their appeals) with the next deadline and who must act."""
    from socialcredit.cli.render import cases_table
    from socialcredit.remedies.cases import cases

    body = [v.to_dict() for v in cases(open_store(ctx), overdue, kind="objection")]
    if as_json:
        print_json(body)
        return
    out.print(cases_table(body))


@app.command("show")
def objections_show(ctx: typer.Context, case: CaseArg, as_json: JsonOption = False) -> None:
    """One objection: its steps (appeal included), state, next action and deadline."""
    from socialcredit.remedies.cases import show as load
    from socialcredit.remedies.errors import CaseNotFound

    store = open_store(ctx)
    view = load(store, case)
    if view.case.kind != "objection":
        raise CaseNotFound(
            f"{case} is a {view.case.kind} case, not an objection "
            f"(`socialcredit cases show {case}`)",
            field="case",
        )
    show(store, view, as_json)


@app.command("affected")
def objections_affected(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Decisions made on records later corrected or withdrawn, by relying party."""
    from socialcredit.remedies.affected import report

    body = report(open_store(ctx))
    if as_json:
        print_json(body)
        return
    table = Table(title=f"affected decisions: {body['total']}")
    for col in ("relying party", "decided", "subject", "action", "outcome", "record", "now"):
        table.add_column(col)
    for requester, items in body["requesters"].items():
        for a in items:
            table.add_row(
                requester,
                a["decided_at"][:19],
                a["subject"],
                a["action"],
                a["outcome"],
                a["record"][:12],
                f"{a['how']} ({a['case'] or a['replaced_by'][:12]})",
            )
    out.print(table)
