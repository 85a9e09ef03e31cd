"""CLI commands for objections, appeals and credit repair (docs/remedies.md).

``register(app)`` adds them to the ``socialcredit`` app. Each command parses,
calls one service of :mod:`socialcredit.remedies` and renders the case; steps
that change the outcome also show the subject as it now stands (grades and
list entries), re-evaluated in the step's transaction.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any, TypeVar

import orjson
import typer
from rich.console import Console
from rich.table import Table

from socialcredit.errors import SocialCreditError
from socialcredit.settings import Settings

out = Console()
JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
CaseArg = Annotated[
    str,
    typer.Argument(help="Case id, e.g. OBJ-20260302-5f0c9a1e27b4."),
]
SubjectArg = Annotated[str, typer.Argument(help="Resident identity number or USCC.")]
RecordOption = Annotated[str | None, typer.Option("--record", help="Record id contested.")]
EntryOption = Annotated[
    str | None, typer.Option("--entry", help="List entry id (its ground record is contested).")
]
RepairRecordOption = Annotated[
    str | None, typer.Option("--record", help="Record id whose effect should end early.")
]
RepairEntryOption = Annotated[
    str | None, typer.Option("--entry", help="List entry id to be removed early.")
]
ReasonsOption = Annotated[str, typer.Option("--reasons", help="Why (kept in the ledger).")]
ByOption = Annotated[str, typer.Option("--by", help="Who decides (kept in the ledger).")]
CorrectionOption = Annotated[
    Path | None,
    typer.Option(
        "--correction",
        help="JSON file: the provider's corrected record (fields default to "
        "the contested record's).",
    ),
]
C = TypeVar("C", bound=str)
repair_app = typer.Typer(no_args_is_help=True, help="Credit repair: apply, decide.")


def _store(ctx: typer.Context) -> Any:
    from socialcredit.store.database import Store

    settings = ctx.find_root().obj
    assert isinstance(settings, Settings)
    store = Store(settings.db)
    store.require_schema()
    return store


def _read_correction(path: Path | None) -> dict[str, Any] | None:
    """A JSON object, or the first line of a JSONL file."""
    if path is None:
        return None
    if not path.exists():
        raise SocialCreditError(f"{path}: no such file", code="not_found", field="correction")
    text = path.read_text("utf-8")
    lines = [line for line in text.splitlines() if line.strip()]
    value: Any = None
    for candidate in (text, lines[0] if lines else ""):
        try:
            value = orjson.loads(candidate)
            break
        except orjson.JSONDecodeError:
            continue
    if not isinstance(value, dict):
        raise SocialCreditError(
            f"{path}: not a JSON record (an object)", code="malformed", field="correction"
        )
    return value


def _choice(value: str | None, choices: tuple[C, ...], option: str) -> C:
    for choice in choices:
        if choice == value:
            return choice
    raise SocialCreditError(
        f"{option}: one of {', '.join(choices)}", code="malformed", field=option.lstrip("-")
    )


def _show(store: Any, view: Any, as_json: bool, *, reassess: bool = False) -> None:
    """Render a case (and, after an outcome, the subject re-evaluated)."""
    from socialcredit.services.assess import assess

    body: dict[str, Any] = {"case": view.to_dict()}
    if reassess:
        body["subject"] = assess(store, view.case.subject)
    if as_json:
        sys.stdout.write(json.dumps(body, ensure_ascii=False, indent=2, default=str) + "\n")
        return
    case = body["case"]
    out.print(
        f"[bold]{case['case']}[/bold] {case['kind']} about {case['subject']}: {case['state']}"
        + (f" ({case['outcome']})" if case["outcome"] else "")
        + (" — listing suspended" if case["listing_suspended"] else ""),
        highlight=False,
    )
    nxt = case["next"]
    if nxt is not None:
        late = " [red]overdue[/red]" if nxt["overdue"] else ""
        out.print(f"  next: {nxt['action']} by {nxt['who']} by {nxt['deadline']}{late}")
    table = Table(title="steps")
    for col in ("on", "step", "record", "details"):
        table.add_column(col)
    for step in case["steps"]:
        details = ", ".join(f"{k}={v}" for k, v in sorted(step["attributes"].items()))
        table.add_row(step["on"], step["category"], step["record"][:12], details[:90])
    out.print(table)
    if reassess:
        subject = body["subject"]
        grades = ", ".join(f"{k}: {v or '—'}" for k, v in subject["grades"].items())
        out.print(f"  now: {grades}")
        for e in subject["lists"]:
            out.print(f"  {e['list']}: {e['status']} until {e['end']}", highlight=False)


def _cases_table(views: list[Any]) -> Table:
    table = Table(title="open cases")
    for col in ("case", "kind", "subject", "state", "next", "who", "deadline"):
        table.add_column(col)
    for v in views:
        c = v.to_dict()
        n = c["next"] or {}
        deadline = str(n.get("deadline") or "—") + (" (overdue)" if n.get("overdue") else "")
        table.add_row(
            c["case"],
            c["kind"],
            c["subject"],
            c["state"],
            n.get("action", ""),
            n.get("who", ""),
            deadline,
        )
    return table


def object_(
    ctx: typer.Context,
    subject: SubjectArg,
    grounds: Annotated[
        str,
        typer.Option(
            help="wrong, missing, duplicated, outdated, should_not_be_shown or inconsistent."
        ),
    ],
    evidence: Annotated[str, typer.Option(help="What shows the record is wrong.")],
    record: RecordOption = None,
    entry: EntryOption = None,
    by: Annotated[
        str | None, typer.Option("--by", help="Identifier of an authorised representative.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Object to a record (or a list entry's ground record); the provider must answer."""
    from socialcredit.remedies.objections import GROUNDS, file_objection
    from socialcredit.services.ingest import ingestor

    chosen = _choice(grounds, GROUNDS, "--grounds")
    store = _store(ctx)
    view = file_objection(
        ingestor(store),
        subject,
        record=record,
        entry=entry,
        grounds=chosen,
        evidence=evidence,
        filed_by=by,
    )
    _show(store, view, as_json)


def accept(ctx: typer.Context, case: CaseArg, as_json: JsonOption = False) -> None:
    """Accept an objection for review (within 2 working days of filing)."""
    from socialcredit.remedies.objections import accept_objection
    from socialcredit.services.ingest import ingestor

    store = _store(ctx)
    _show(store, accept_objection(ingestor(store), case), as_json)


def answer(
    ctx: typer.Context,
    case: CaseArg,
    outcome: Annotated[str, typer.Option(help="upheld, corrected or withdrawn.")],
    reasons: ReasonsOption,
    correction: CorrectionOption = None,
    provider: Annotated[
        str | None, typer.Option(help="The answering provider (must have reported the record).")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """The provider's answer to an objection; corrected and withdrawn take effect at once."""
    from socialcredit.remedies.objections import OUTCOMES, answer_objection
    from socialcredit.services.ingest import ingestor

    chosen = _choice(outcome, OUTCOMES, "--outcome")
    store = _store(ctx)
    fixed = _read_correction(correction)
    view = answer_objection(
        ingestor(store), case, chosen, reasons, provider=provider, correction=fixed
    )
    _show(store, view, as_json, reassess=True)


def decide_objection(
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
    from socialcredit.remedies.objections import OUTCOMES
    from socialcredit.remedies.objections import decide_objection as decide
    from socialcredit.services.ingest import ingestor

    chosen = None if outcome is None else _choice(outcome, OUTCOMES, "--outcome")
    store = _store(ctx)
    fixed = _read_correction(correction)
    view = decide(ingestor(store), case, reasons, by, outcome=chosen, correction=fixed)
    _show(store, view, as_json, reassess=True)


def appeal(
    ctx: typer.Context,
    case: CaseArg,
    grounds: Annotated[str, typer.Option(help="Why the decision is wrong.")],
    evidence: Annotated[str | None, typer.Option(help="Supporting evidence.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Appeal an objection decision: once, within 10 days of it."""
    from socialcredit.remedies.appeals import file_appeal
    from socialcredit.services.ingest import ingestor

    store = _store(ctx)
    _show(store, file_appeal(ingestor(store), case, grounds, evidence), as_json)


def appeal_decide(
    ctx: typer.Context,
    case: CaseArg,
    outcome: Annotated[str | None, typer.Option(help="upheld or overturned.")] = None,
    reasons: Annotated[str | None, typer.Option(help="Why (kept in the ledger).")] = None,
    suspend: Annotated[
        bool, typer.Option("--suspend", help="Suspend the listing until the appeal is decided.")
    ] = False,
    correction: CorrectionOption = None,
    by: ByOption = "cli",
    as_json: JsonOption = False,
) -> None:
    """The second reviewer: --suspend the listing while the appeal is pending, or decide it."""
    from socialcredit.remedies.appeals import APPEAL_OUTCOMES, decide_appeal, suspend_listing
    from socialcredit.services.ingest import ingestor

    store = _store(ctx)
    if suspend == (outcome is not None):
        raise SocialCreditError("give either --suspend or --outcome", code="malformed")
    if suspend:
        _show(store, suspend_listing(ingestor(store), case, by, reasons), as_json, reassess=True)
        return
    chosen = _choice(outcome, APPEAL_OUTCOMES, "--outcome")
    if not reasons:
        raise SocialCreditError("--reasons: a decision gives its reasons", code="malformed")
    fixed = _read_correction(correction)
    view = decide_appeal(ingestor(store), case, chosen, reasons, by, correction=fixed)
    _show(store, view, as_json, reassess=True)


def repair_apply(
    ctx: typer.Context,
    subject: SubjectArg,
    record: RepairRecordOption = None,
    entry: RepairEntryOption = None,
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
    from socialcredit.services.ingest import ingestor

    store = _store(ctx)
    showing = Showing(pledge=pledge, course=course, fulfilment=fulfilment)
    _show(
        store,
        apply_repair(ingestor(store), subject, record=record, entry=entry, showing=showing),
        as_json,
    )


def repair_decide(
    ctx: typer.Context,
    case: CaseArg,
    reasons: ReasonsOption,
    accept: Annotated[bool, typer.Option("--accept/--refuse", help="Accept or refuse.")],
    by: ByOption = "cli",
    as_json: JsonOption = False,
) -> None:
    """Accept (effective today, published at once) or refuse a repair application."""
    from socialcredit.remedies.repair import decide_repair
    from socialcredit.services.ingest import ingestor

    store = _store(ctx)
    _show(store, decide_repair(ingestor(store), case, accept, reasons, by), as_json, reassess=True)


def show_case(ctx: typer.Context, case: CaseArg, as_json: JsonOption = False) -> None:
    """One case: its steps, state, next action and deadline."""
    from socialcredit.remedies.cases import show

    store = _store(ctx)
    _show(store, show(store, case), as_json)


def list_cases(
    ctx: typer.Context,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only cases past a deadline.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Open cases with their next deadline and who must act."""
    from socialcredit.remedies.cases import cases

    views = cases(_store(ctx), overdue)
    if as_json:
        body = [v.to_dict() for v in views]
        sys.stdout.write(json.dumps(body, ensure_ascii=False, indent=2, default=str) + "\n")
        return
    out.print(_cases_table(views))


def affected(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Decisions made on records later corrected or withdrawn, by relying party."""
    from socialcredit.remedies.affected import report

    body = report(_store(ctx))
    if as_json:
        sys.stdout.write(json.dumps(body, ensure_ascii=False, indent=2, default=str) + "\n")
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


def register(app: typer.Typer) -> None:
    """Add the remedies commands to the ``socialcredit`` app."""
    app.command("object")(object_)
    app.command("accept")(accept)
    app.command("answer")(answer)
    app.command("decide-objection")(decide_objection)
    app.command("appeal")(appeal)
    app.command("appeal-decide")(appeal_decide)
    app.command("case")(show_case)
    app.command("cases")(list_cases)
    app.command("affected")(affected)
    repair_app.command("apply")(repair_apply)
    repair_app.command("decide")(repair_decide)
    app.add_typer(repair_app, name="repair")


__all__ = ["register"]
