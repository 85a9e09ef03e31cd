"""``check``: may this subject do this action? The decision a relying party gets."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from socialcredit.cli.options import (
    AtOption,
    JsonOption,
    KnownAtOption,
    SubjectArg,
    instant,
    open_store,
    out,
)


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
    from socialcredit.cli.render import decision_renderables
    from socialcredit.enforcement.service import Enforcement

    service = Enforcement(open_store(ctx))
    try:
        decision = service.check(
            subject,
            action,
            instant(at),
            instant(known_at),
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
