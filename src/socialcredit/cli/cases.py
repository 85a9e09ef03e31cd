"""``socialcredit cases list|show``: every open remedy case (objections, appeals,
repairs) and one case with its steps; bare ``socialcredit cases`` lists them.

Also what the remedy groups (``objections``, ``appeals``, ``repairs``) share: the
case argument, ``--reasons``, ``--by``, ``--correction``, and :func:`show`, which
prints a case (and, after a step that changes the outcome, the subject as it now
stands, re-evaluated in the step's transaction).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import orjson
import typer
from typer.core import TyperGroup

from socialcredit.cli.options import JsonOption, open_store, out, print_json
from socialcredit.errors import Malformed, NotFound

if TYPE_CHECKING:
    from socialcredit.remedies.cases import CaseView
    from socialcredit.store.database import Store

CaseArg = Annotated[str, typer.Argument(help="Case id, e.g. OBJ-20260302-5f0c9a1e27b4.")]
ReasonsOption = Annotated[str, typer.Option("--reasons", help="Why (kept in the ledger).")]
ByOption = Annotated[str, typer.Option("--by", help="Who decides (kept in the ledger).")]
OverdueOption = Annotated[bool, typer.Option("--overdue", help="Only cases past a deadline.")]
CorrectionOption = Annotated[
    Path | None,
    typer.Option(
        "--correction",
        help="JSON file: the provider's corrected record (fields default to "
        "the contested record's).",
    ),
]
C = TypeVar("C", bound=str)


class ListByDefault(TyperGroup):
    """A group that runs ``list`` when given no verb (``cases``, ``cases --overdue``)."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:  # Any: Typer's own click
        if not args or (args[0].startswith("-") and args[0] != "--help"):
            args = ["list", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=ListByDefault,
    help="Remedy cases of every kind: list (the default), show.",
)


def read_correction(path: Path | None) -> dict[str, Any] | None:
    """``--correction``: a JSON object, or the first line of a JSONL file."""
    if path is None:
        return None
    if not path.exists():
        raise NotFound(f"{path}: no such file", field="correction")
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
        raise Malformed(f"{path}: not a JSON record (an object)", field="correction")
    return value


def choice(value: str | None, choices: tuple[C, ...], option: str) -> C:
    """``value`` if it is one of ``choices``; else a ``malformed`` error naming ``option``."""
    for candidate in choices:
        if candidate == value:
            return candidate
    raise Malformed(f"{option}: one of {', '.join(choices)}", field=option.lstrip("-"))


def show(store: Store, view: CaseView, as_json: bool, *, reassess: bool = False) -> None:
    """Print a case (and, after an outcome, the subject re-evaluated)."""
    from socialcredit.cli.render import case_renderables
    from socialcredit.services.assess import assess

    body: dict[str, Any] = {"case": view.to_dict()}
    if reassess:
        body["subject"] = assess(store, view.case.subject)
    if as_json:
        print_json(body)
        return
    for item in case_renderables(body):
        out.print(item, highlight=False)


@app.command("list")
def cases_list(
    ctx: typer.Context, overdue: OverdueOption = False, as_json: JsonOption = False
) -> None:
    """Open cases with their next deadline and who must act."""
    from socialcredit.cli.render import cases_table
    from socialcredit.remedies.cases import cases

    body = [v.to_dict() for v in cases(open_store(ctx), overdue)]
    if as_json:
        print_json(body)
        return
    out.print(cases_table(body))


@app.command("show")
def cases_show(ctx: typer.Context, case: CaseArg, as_json: JsonOption = False) -> None:
    """One case: its steps, state, next action and deadline."""
    from socialcredit.remedies.cases import show as load

    store = open_store(ctx)
    show(store, load(store, case), as_json)
