"""``socialcredit users create|list``: portal accounts, one role each.

The password comes from ``--password-file`` (its first line), else the
environment variable ``SOCIALCREDIT_PASSWORD``, else it is asked for twice
without echo. It is never printed or logged; the store keeps its argon2 hash.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from socialcredit.access.principal import ACCOUNT_ROLES
from socialcredit.cli.options import JsonOption, open_store, out, print_json

app = typer.Typer(no_args_is_help=True, help="Portal accounts: create, list.")
PASSWORD_ENV = "SOCIALCREDIT_PASSWORD"


def read_password(path: Path | None) -> str:
    """The new account's password: the file's first line, the environment, or asked twice."""
    if path is not None:
        lines = path.read_text(encoding="utf-8").splitlines()
        return lines[0] if lines else ""
    if env := os.environ.get(PASSWORD_ENV):
        return env
    value: str = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    return value


@app.command("create")
def users_create(
    ctx: typer.Context,
    account: Annotated[str, typer.Argument(help="Login name: lower-case letters, digits, . _ -")],
    name: Annotated[str, typer.Option(help="The person's or office's name, as pages show it.")],
    role: Annotated[str, typer.Option(help=f"One of: {', '.join(ACCOUNT_ROLES)}.")],
    subject: Annotated[
        str | None,
        typer.Option(help="A subject's account: the identity number or USCC it acts for."),
    ] = None,
    agency: Annotated[
        str | None, typer.Option(help="An agency's account: the agency it acts for.")
    ] = None,
    password_file: Annotated[
        Path | None,
        typer.Option(
            exists=True,
            dir_okay=False,
            help=f"File whose first line is the password (else env {PASSWORD_ENV}, else asked).",
        ),
    ] = None,
) -> None:
    """Create a portal account; the password is never echoed or stored in clear."""
    from socialcredit.access.users import create_user

    store = open_store(ctx)
    password = read_password(password_file)
    made = create_user(store, account, name, role, password, subject=subject, agency=agency)
    acting = made.subject or made.agency
    out.print(f"account {made.id} ({made.role}{f', for {acting}' if acting else ''}) created")


@app.command("list")
def users_list(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Portal accounts with their roles (never their passwords)."""
    from socialcredit.access.users import list_users

    accounts = list_users(open_store(ctx))
    if as_json:
        print_json(
            [
                {
                    "id": a.id,
                    "name": a.name,
                    "role": a.role,
                    "subject": a.subject,
                    "agency": a.agency,
                }
                for a in accounts
            ]
        )
        return
    table = Table(title="accounts")
    for col in ("id", "name", "role", "acts for"):
        table.add_column(col)
    for a in accounts:
        table.add_row(a.id, a.name, a.role, a.subject or a.agency or "")
    out.print(table)
