"""What every command shares: the options (``--db``, ``--json``, ``--at``,
``--known-at``), the settings object, opening the store, JSON and progress output.

The root callback (``cli/app.py``) builds one :class:`Settings` from ``--db`` and
the environment and keeps it on the context; commands read it with
:func:`settings` and open the store with :func:`open_store`, never through
``os.environ``.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.text import Text

from socialcredit.errors import SocialCreditError
from socialcredit.settings import Settings

if TYPE_CHECKING:
    from socialcredit.store.database import Store

out = Console()  # what a command prints
err = Console(stderr=True)  # errors and progress

EVERYDAY = "Everyday commands"  # the first help panel
GROUPS = "Command groups"  # then one group per kind of work

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db", help="Store URL (default: env SOCIALCREDIT_DB or sqlite:///socialcredit.db)."
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
AtOption = Annotated[
    str | None, typer.Option("--at", help="Valid time: a date (end of day, China) or ISO time.")
]
KnownAtOption = Annotated[
    str | None,
    typer.Option("--known-at", help="Transaction time: use only what was recorded by then."),
]
SubjectArg = Annotated[str, typer.Argument(help="Resident identity number or USCC.")]


def settings(ctx: typer.Context) -> Settings:
    """The settings the root callback built for this invocation."""
    obj = ctx.find_root().obj
    assert isinstance(obj, Settings)
    return obj


def open_store(ctx: typer.Context, *, require: bool = True) -> Store:
    """The store of ``--db``; refuses an uninitialised or outdated one unless told not to."""
    from socialcredit.store.database import Store

    store = Store(settings(ctx).db)
    if require:
        store.require_schema()
    return store


def instant(value: str | None) -> dt.datetime | None:
    """``--at`` / ``--known-at`` as an instant (``None``: now)."""
    from socialcredit.clock import parse_instant

    return parse_instant(value) if value else None


def print_json(value: Any) -> None:
    """Pretty JSON on standard output, non-ASCII kept as is."""
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n")


def progress() -> Progress:
    """A progress display on standard error."""
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=False,
    )


def say_moved(old: str, new: str) -> None:
    """Tell, on standard error, that an old command name moved (kept one release)."""
    typer.echo(
        f"`socialcredit {old}` moved to `socialcredit {new}`; the old name goes in the "
        "next release",
        err=True,
    )


def report_error(exc: SocialCreditError, console: Console = err) -> int:
    """Print a domain error as the CLI shows every one -- ``Error: <code>: <message>``,
    then its problems, one a line -- and return the exit status (2: the input, 1: the
    platform)."""
    first, *rest = exc.lines()
    console.print(Text.assemble(("Error:", "red"), " ", first), highlight=False, soft_wrap=True)
    for line in rest:
        console.print(line, highlight=False, markup=False, soft_wrap=True)
    return exc.exit_code
