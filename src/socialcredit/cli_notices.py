"""CLI commands for notices and the safeguards audit; ``register(app)`` adds them.

* ``socialcredit notices SUBJECT [--json]``: a subject's notices;
* ``socialcredit notices-sweep [--json]``: create the notices that are due and
  deliver the outbox;
* ``socialcredit safeguards audit [--days N] [--json]``: check the live state
  against the safeguards; exit 1 on any violation.
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


def notices(
    ctx: typer.Context,
    subject: Annotated[str, typer.Argument(help="Resident identity number or USCC.")],
    as_json: JsonOption = False,
) -> None:
    """A subject's notices (about it or addressed to it): what, why, legal basis, dates,
    how to object and repair."""
    from socialcredit.notices.model import subject_notices

    found = subject_notices(_store(ctx), subject)
    if as_json:
        _print_json([n.model_dump(mode="json") for n in found])
        return
    if not found:
        out.print("no notices")
        return
    table = Table(title=f"notices for {subject}")
    for col in ("created (UTC)", "kind", "effective", "recipient"):
        table.add_column(col, no_wrap=True)
    table.add_column("title")
    for n in found:
        table.add_row(
            n.created_at.strftime("%Y-%m-%d %H:%M"),
            n.kind,
            n.effective_on.isoformat(),
            n.recipient + (f" ({n.body.role})" if n.body.role else ""),
            n.body.title,
        )
    out.print(table)


def notices_sweep(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Create the notices that are due and deliver every one to where its recipient agreed.

    Entries taking effect or ending, grade changes; then e-mail, text message or
    letter to consented addresses, the platform mailbox otherwise; prints the counts."""
    from socialcredit.notices.channels import channels_from_settings
    from socialcredit.notices.outbox import deliver
    from socialcredit.notices.sweep import generate_due

    store = _store(ctx)
    swept = generate_due(store)
    delivered = deliver(store, channels_from_settings(_settings(ctx)))
    if as_json:
        _print_json(
            {
                "created": swept.created,
                "grades_run": swept.grades_run,
                "delivery": delivered.to_dict(),
            }
        )
        return
    kinds = ", ".join(f"{k} {n}" for k, n in sorted(swept.created.items())) or "none"
    out.print(f"notices created: {swept.total} ({kinds})")
    channels = ", ".join(f"{k} {n}" for k, n in sorted(delivered.by_channel.items())) or "none"
    out.print(
        f"delivered {delivered.delivered} ({channels}), to the platform mailbox "
        f"{delivered.mailbox}, failed {delivered.failed} (retried later), "
        f"still pending {delivered.pending}"
    )
    for error in delivered.errors[:20]:
        out.print(f"  {error}", highlight=False)


def safeguards_audit(
    ctx: typer.Context,
    days: Annotated[
        int, typer.Option("--days", min=1, help="Check decisions logged in the last N days.")
    ] = 30,
    as_json: JsonOption = False,
) -> None:
    """Check the live state against the safeguards: the active packs as stored (the whole
    lint, the Basic List), every live list entry, the measures enforced, consent, timing,
    red lists, stale entries, overdue cases and recent decisions; local additions are
    listed for review. Exit 1 if any safeguard is violated."""
    from socialcredit.safeguards.audit import audit_safeguards

    result = audit_safeguards(_store(ctx), days=days)
    if as_json:
        _print_json(result.to_dict())
    else:
        table = Table(
            title=f"safeguards audit ({result.entries} entries, "
            f"{result.decisions} decisions in {days} days)"
        )
        for col in ("check", "checked", "violations"):
            table.add_column(col)
        for name, count in result.counts.items():
            table.add_row(name, str(count.checked), str(count.violations))
        out.print(table)
        for v in result.violations:
            out.print(f"[red]✗[/red] {v.text()}", highlight=False)
        for v in result.review:
            out.print(f"[yellow]?[/yellow] for review: {v.item}: {v.message}", highlight=False)
        for note in result.notes:
            out.print(f"note: {note}", highlight=False)
        out.print("all safeguards hold" if result.ok else f"{len(result.violations)} violation(s)")
    raise typer.Exit(0 if result.ok else 1)


def register(app: typer.Typer) -> None:
    """Add the notice and safeguards commands to the ``socialcredit`` app."""
    app.command("notices")(notices)
    app.command("notices-sweep")(notices_sweep)
    safeguards_app = typer.Typer(no_args_is_help=True, help="Safeguards: audit the live state.")
    safeguards_app.command("audit")(safeguards_audit)
    app.add_typer(safeguards_app, name="safeguards")
