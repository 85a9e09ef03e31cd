"""The old flat command names, kept one release as hidden aliases.

Each runs the command that replaced it, after saying on standard error where it
moved (``socialcredit object`` moved to ``socialcredit objections file``). The
old ``notices SUBJECT`` form is handled by the ``notices`` group itself
(``cli/notices.py``); the old ``cases`` is the new ``cases`` (it lists).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Annotated, Any

import typer

from socialcredit.cli import appeals, cases, notices, objections, repairs
from socialcredit.cli.cases import ByOption, CaseArg, CorrectionOption
from socialcredit.cli.options import JsonOption, say_moved
from socialcredit.errors import Malformed

MOVED: dict[str, tuple[str, Callable[..., Any]]] = {  # old name: (new name, its command)
    "object": ("objections file", objections.objections_file),
    "accept": ("objections accept", objections.objections_accept),
    "answer": ("objections answer", objections.objections_answer),
    "decide-objection": ("objections decide", objections.objections_decide),
    "appeal": ("appeals file", appeals.appeals_file),
    "case": ("cases show", cases.cases_show),
    "affected": ("objections affected", objections.objections_affected),
    "notices-sweep": ("notices sweep", notices.notices_sweep),
}
MOVED_REPAIR: dict[str, tuple[str, Callable[..., Any]]] = {  # `repair VERB`
    "apply": ("repairs apply", repairs.repairs_apply),
    "decide": ("repairs decide", repairs.repairs_decide),
}


def _alias(old: str, new: str, command: Callable[..., Any]) -> Callable[..., Any]:
    """``command`` under its old name: the same parameters, a word on where it went."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        say_moved(old, new)
        return command(*args, **kwargs)

    run.__doc__ = f"Moved to `socialcredit {new}`."
    return run


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
    """Moved to `socialcredit appeals suspend` and `socialcredit appeals decide`."""
    if suspend == (outcome is not None):
        raise Malformed("give either --suspend or --outcome")
    if suspend:
        say_moved("appeal-decide --suspend", "appeals suspend")
        appeals.appeals_suspend(ctx, case, reasons, by, as_json)
        return
    say_moved("appeal-decide --outcome", "appeals decide --outcome")
    assert outcome is not None
    if not reasons:
        raise Malformed("--reasons: a decision gives its reasons")
    appeals.appeals_decide(ctx, case, outcome, reasons, correction, by, as_json)


def register(app: typer.Typer) -> None:
    """Add every old name to ``app``, hidden from ``--help``."""
    for old, (new, command) in MOVED.items():
        app.command(old, hidden=True)(_alias(old, new, command))
    app.command("appeal-decide", hidden=True)(appeal_decide)
    repair = typer.Typer(no_args_is_help=True, help="Moved to `socialcredit repairs`.")
    for verb, (new, command) in MOVED_REPAIR.items():
        repair.command(verb)(_alias(f"repair {verb}", new, command))
    app.add_typer(repair, name="repair", hidden=True)
