"""``socialcredit holds list|release|reject``: feeds put on hold and what they quarantine.

A feed whose weekly signals crossed the pack's thresholds is put on hold at ingestion;
its new records are stored but counted by no engine and no check until a reviewer
releases them (they count from the release) or rejects them (they are withdrawn, with
the reason). A decision names records of the hold (``--record``), or none: then it
takes every record still held and ends the hold.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from socialcredit.cli.options import JsonOption, open_store, out, print_json

app = typer.Typer(
    no_args_is_help=True, help="Feeds on hold: list them, release or reject what they hold."
)
HoldArg = Annotated[str, typer.Argument(help="The hold's id (HOLD-<yyyymmdd>-<12 hex>).")]
RecordOption = Annotated[
    list[str] | None,
    typer.Option("--record", help="A record of the hold (repeat; default: every one held)."),
]
ByOption = Annotated[str, typer.Option("--by", help="Who decides (kept in the audit chain).")]


@app.command("list")
def holds_list(
    ctx: typer.Context,
    everything: Annotated[bool, typer.Option("--all", help="Ended holds too.")] = False,
    records: Annotated[bool, typer.Option("--records", help="Each hold's records.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Holds in force (or all), with the signals that placed them and their records."""
    from socialcredit.supervision.holds import held_records, list_holds

    with open_store(ctx).reader() as conn:
        holds = list_holds(conn, everything=everything)
        found = held_records(conn, [h.id for h in holds]) if records else []
    if as_json:
        shown = []
        for h in holds:
            item = h.to_dict()
            if records:
                item["held_records"] = [r.to_dict() for r in found if r.hold == h.id]
            shown.append(item)
        print_json(shown)
        return
    table = Table(title=f"holds ({'all' if everything else 'in force'})")
    table.add_column("hold", no_wrap=True)
    table.add_column("feed")
    table.add_column("why")
    table.add_column("held / released / rejected", justify="right")
    for h in holds:
        why = "; ".join(f"{s['signal']} {s['value']} (≥ {s['threshold']})" for s in h.signals)
        state = "" if h.ended_at is None else f"\n{h.outcome}"
        table.add_row(
            h.id + state,
            f"{h.provider} · {h.category}",
            f"week of {h.week}: {why}",
            f"{h.held} / {h.released} / {h.rejected}",
        )
    out.print(table)
    if records:
        listing = Table(title="held records")
        listing.add_column("record", no_wrap=True)
        for col in ("subject", "occurred", "state"):
            listing.add_column(col)
        for r in found:
            listing.add_row(r.id, r.subject, r.occurred_at.isoformat(), r.state)
        out.print(listing)


@app.command("release")
def holds_release(
    ctx: typer.Context,
    hold: HoldArg,
    record: RecordOption = None,
    by: ByOption = "cli",
    reason: Annotated[str | None, typer.Option(help="Why (optional).")] = None,
    as_json: JsonOption = False,
) -> None:
    """Release records of a hold: they count from now on, with notices as usual."""
    from socialcredit.services.holds import release

    decision = release(open_store(ctx), hold, by=by, records=record or None, reason=reason)
    _show(decision.to_dict(), as_json)


@app.command("reject")
def holds_reject(
    ctx: typer.Context,
    hold: HoldArg,
    reason: Annotated[str, typer.Option(help="Why: the withdrawals cite it.")],
    record: RecordOption = None,
    by: ByOption = "cli",
    as_json: JsonOption = False,
) -> None:
    """Reject records of a hold: each is withdrawn, citing the hold and the reason."""
    from socialcredit.services.holds import reject

    decision = reject(open_store(ctx), hold, by=by, reason=reason, records=record or None)
    _show(decision.to_dict(), as_json)


def _show(decision: dict[str, object], as_json: bool) -> None:
    if as_json:
        print_json(decision)
        return
    records = decision["records"]
    assert isinstance(records, list)
    ended = "; the hold has ended" if decision["ended"] else ""
    out.print(f"hold {decision['hold']}: {len(records)} records {decision['outcome']}{ended}")
