"""``socialcredit supervise providers``: the data providers' reliability.

Every feed (a provider's records of one category) with its reliability score, its
components and the hold in force on it, the least reliable first, from the running
statistics ingestion keeps; ``--plot`` draws the scores week by week as SVG. The
command joins the ``supervise`` group (cli/supervise.py) through :func:`register`.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from socialcredit.cli.options import AtOption, JsonOption, instant, open_store
from socialcredit.cli.supervise import PlotOption, SaveOption, emit, saving

if TYPE_CHECKING:
    from socialcredit.supervision.report import ProvidersReport


def providers(
    ctx: typer.Context,
    as_json: JsonOption = False,
    plot: PlotOption = None,
    weeks: Annotated[
        int, typer.Option("--weeks", min=1, max=104, help="Weeks of scores to show.")
    ] = 12,
    at: AtOption = None,
    save: SaveOption = False,
) -> None:
    """Each feed's reliability score and components, the least reliable first."""
    from socialcredit.supervision.chart import svg
    from socialcredit.supervision.report import providers_report

    started = time.perf_counter()
    store = open_store(ctx)
    report = providers_report(store, weeks=weeks, at=instant(at))
    emit(
        report.to_dict(),
        as_json,
        plot,
        lambda: svg(report),
        lambda: _tables(report),
        # the statistics are read as they stand now, whatever week --at shows
        saving(store, "providers", None, {"weeks": weeks, "at": at}, started) if save else None,
    )


def _tables(report: ProvidersReport) -> list[Any]:
    table = Table(title=f"data providers, week of {report.week} ({report.window_weeks} weeks)")
    for col in ("provider", "category", "score", "costs most", "sent", "hold"):
        table.add_column(col, justify="right" if col in ("score", "sent") else "left")
    for feed in report.feeds:
        worst = sorted((p for p in feed.parts if p.points > 0), key=lambda p: -p.points)[:2]
        costs = ", ".join(f"{p.signal} -{p.points:.1f}" for p in worst) or "—"
        table.add_row(
            feed.feed.provider,
            feed.feed.category or "(no category)",
            f"{feed.score:.1f}",
            costs,
            f"{feed.sent:,}",
            feed.hold or "",
        )
    return [table]


def register(group: typer.Typer) -> None:
    """Add ``providers`` to the ``supervise`` group."""
    group.command("providers")(providers)
