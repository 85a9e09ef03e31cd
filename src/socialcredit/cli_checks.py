"""CLI commands for what relying parties and subjects ask; ``register(app)`` adds them.

* ``socialcredit report SUBJECT``: the subject's full report;
* ``socialcredit check SUBJECT ACTION [--purpose P] [--reference R]``: one decision;
* ``socialcredit keys create|list|revoke``: API keys for relying parties, their
  scopes (actions, or roles) and rate limits.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from socialcredit.settings import Settings

out = Console()
JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
SubjectArg = Annotated[str, typer.Argument(help="Resident identity number or USCC.")]
AtOption = Annotated[
    str | None, typer.Option("--at", help="Valid time: a date (end of day, China) or ISO time.")
]
KnownAtOption = Annotated[
    str | None,
    typer.Option("--known-at", help="Transaction time: use only what was recorded by then."),
]
keys_app = typer.Typer(no_args_is_help=True, help="API keys for relying parties.")


def _settings(ctx: typer.Context) -> Settings:
    obj = ctx.find_root().obj
    assert isinstance(obj, Settings)
    return obj


def _store(ctx: typer.Context) -> Any:
    from socialcredit.store.database import Store

    store = Store(_settings(ctx).db)
    store.require_schema()
    return store


def _print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n")


def report(
    ctx: typer.Context,
    subject: SubjectArg,
    at: AtOption = None,
    known_at: KnownAtOption = None,
    as_json: JsonOption = False,
) -> None:
    """A subject's grades explained, its list entries and the measures in force.

    Every contributing record and rule (with its provider, legal basis, expiry and
    how to object), what has expired, what would change the grade and the way to a
    better one."""
    from socialcredit.clock import parse_instant
    from socialcredit.render import report_renderables
    from socialcredit.services.report import subject_report

    body = subject_report(
        _store(ctx),
        subject,
        parse_instant(at) if at else None,
        parse_instant(known_at) if known_at else None,
    )
    if as_json:
        _print_json(body)
        return
    for item in report_renderables(body):
        out.print(item)


def check(
    ctx: typer.Context,
    subject: SubjectArg,
    action: Annotated[str, typer.Argument(help="Action code, e.g. transport.air.ticket.")],
    at: AtOption = None,
    known_at: KnownAtOption = None,
    purpose: Annotated[
        str | None, typer.Option(help="Why the check is made (logged with the decision).")
    ] = None,
    reference: Annotated[
        str | None, typer.Option(help="The transaction it is for (logged with the decision).")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """May this subject do this action? The decision and why, and how to object.

    allow, deny, restrict, review or privilege, with the measures, lists, records
    and legal bases behind it, and the exact command and call to object to each
    ground record."""
    from socialcredit.clock import parse_instant
    from socialcredit.enforcement.service import Enforcement
    from socialcredit.render import decision_renderables

    service = Enforcement(_store(ctx))
    try:
        decision = service.check(
            subject,
            action,
            parse_instant(at) if at else None,
            parse_instant(known_at) if known_at else None,
            requester="cli",
            purpose=purpose,
            reference=reference,
        )
    finally:
        service.close()
    if as_json:
        sys.stdout.write(decision.model_dump_json(indent=2) + "\n")
        return
    for item in decision_renderables(decision):
        out.print(item)


def keys_create(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Who the key is for.")],
    scope: Annotated[
        list[str],
        typer.Option(
            help="Action (procurement.bid), action pattern (transport.air.*) or role "
            "(role:reviewer); repeatable. A bare * is refused."
        ),
    ],
    rate: Annotated[
        float | None,
        typer.Option(help="Requests a second the key may make (default: api_rate_limit)."),
    ] = None,
) -> None:
    """Create an API key; the token is printed once."""
    from socialcredit.access.keys import create_key

    key, token = create_key(_store(ctx), name, scope, rate)
    limit = f"{key.rate:g}/s" if key.rate is not None else "the default rate"
    out.print(f"key {key.id} for {name}: {', '.join(key.scopes)} ({limit})")
    sys.stdout.write(token + "\n")


def keys_list(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """API keys with their scopes and rate limits (never their secrets)."""
    from socialcredit.access.keys import list_keys

    keys = list_keys(_store(ctx))
    if as_json:
        _print_json(keys)
        return
    table = Table(title="API keys")
    for col in ("id", "name", "scopes", "rate/s", "created", "revoked"):
        table.add_column(col)
    for k in keys:
        rate = k["rate_per_second"]
        table.add_row(
            str(k["id"]),
            str(k["name"]),
            ", ".join(map(str, k["scopes"])),
            "default" if rate is None else f"{rate:g}",
            str(k["created_at"])[:19],
            str(k["revoked_at"] or "")[:19],
        )
    out.print(table)


def keys_revoke(ctx: typer.Context, key_id: Annotated[str, typer.Argument()]) -> None:
    """Revoke an API key."""
    from socialcredit.access.keys import revoke_key

    revoke_key(_store(ctx), key_id)
    out.print(f"revoked {key_id}")


def register(app: typer.Typer) -> None:
    """Add ``report``, ``check`` and the ``keys`` group to the ``socialcredit`` app."""
    app.command("report")(report)
    app.command("check")(check)
    keys_app.command("create")(keys_create)
    keys_app.command("list")(keys_list)
    keys_app.command("revoke")(keys_revoke)
    app.add_typer(keys_app, name="keys")


__all__ = ["register"]
