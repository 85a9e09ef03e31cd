"""``socialcredit notices list|sweep``: a subject's notices; create the notices
that are due and deliver the outbox."""

from __future__ import annotations

from typing import Any

import typer
from rich.table import Table
from typer.core import TyperGroup

from socialcredit.cli.options import (
    JsonOption,
    SubjectArg,
    open_store,
    out,
    print_json,
    say_moved,
    settings,
)


class NoticesGroup(TyperGroup):
    """``notices SUBJECT`` (the old form, kept one release) runs ``notices list SUBJECT``."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:  # Any: Typer's own click
        if args and not args[0].startswith("-") and args[0] not in self.commands:
            say_moved("notices SUBJECT", "notices list SUBJECT")
            args = ["list", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(cls=NoticesGroup, no_args_is_help=True, help="Notices: list, sweep.")


@app.command("list")
def notices_list(ctx: typer.Context, subject: SubjectArg, as_json: JsonOption = False) -> None:
    """A subject's notices (about it or addressed to it): what, why, legal basis, dates,
    how to object and repair."""
    from socialcredit.notices.model import subject_notices

    found = subject_notices(open_store(ctx), subject)
    if as_json:
        print_json([n.model_dump(mode="json") for n in found])
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


@app.command("sweep")
def notices_sweep(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Create the notices that are due and deliver every one to where its recipient agreed.

    Entries taking effect or ending, grade changes; then e-mail, text message or
    letter to consented addresses, the platform mailbox otherwise; prints the counts."""
    from socialcredit.notices.channels import channels_from_settings
    from socialcredit.notices.outbox import deliver
    from socialcredit.notices.sweep import generate_due

    store = open_store(ctx)
    swept = generate_due(store)
    delivered = deliver(store, channels_from_settings(settings(ctx)))
    if as_json:
        print_json(
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
