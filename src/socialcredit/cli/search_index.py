"""``socialcredit search-index rebuild``: recompute the public lookup's index of names
from the ledger (after upgrading a store that already has records)."""

from __future__ import annotations

import time

import typer

from socialcredit.cli.options import JsonOption, open_store, out, print_json

app = typer.Typer(no_args_is_help=True, help="The public lookup's index of names.")


@app.command("rebuild")
def search_index_rebuild(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Recompute every subject's indexed name from its registrations."""
    from socialcredit.lookup.index import rebuild

    started = time.perf_counter()
    done = rebuild(open_store(ctx))
    seconds = round(time.perf_counter() - started, 2)
    if as_json:
        print_json({"written": done.written, "removed": done.removed, "seconds": seconds})
        return
    out.print(f"search index: {done.written} names written, {done.removed} removed ({seconds} s)")
