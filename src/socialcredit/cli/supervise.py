"""``socialcredit supervise judges`` -- the supervision analytics, one command each.

Every command of the group shares :data:`JsonOption` and :data:`PlotOption` and prints
through :func:`emit`: a table by default, ``--json`` for the whole report, ``--plot
FILE.svg`` for the analytic's chart. ``socialcredit justifications`` takes the review
steps of what the judges' analytic flags.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from socialcredit.cli.options import JsonOption, KnownAtOption, instant, open_store, out, print_json
from socialcredit.clock import iso_day
from socialcredit.errors import InvalidTime
from socialcredit.private_files import create_private

if TYPE_CHECKING:
    from socialcredit.supervision.judges import JudgesReport

app = typer.Typer(
    no_args_is_help=True,
    help="Supervision analytics: judges (deviation of decisions from their facts).",
)
PlotOption = Annotated[
    Path | None, typer.Option("--plot", help="Write the analytic's chart to this SVG file.")
]
SinceOption = Annotated[
    str | None, typer.Option("--since", help="Only decisions from this day (YYYY-MM-DD).")
]
UntilOption = Annotated[
    str | None, typer.Option("--until", help="Only decisions up to this day (YYYY-MM-DD).")
]


def emit(
    body: dict[str, Any],
    as_json: bool,
    plot: Path | None,
    chart: Callable[[], str],
    tables: Callable[[], Iterable[Any]],
) -> None:
    """What every supervision command prints: JSON or tables, and the chart if asked."""
    if plot is not None:
        create_private(plot)  # the chart names judges: readable by its owner only
        plot.write_text(chart(), encoding="utf-8")
        body = {**body, "plot": str(plot)}
    if as_json:
        print_json(body)
        return
    for item in tables():
        out.print(item, highlight=False)
    if plot is not None:
        out.print(f"chart written to {plot}")


def day_option(value: str | None, name: str) -> dt.date | None:
    """A ``--since``/``--until`` day, or None."""
    if value is None:
        return None
    try:
        return iso_day(value)
    except ValueError as exc:
        raise InvalidTime(f"--{name}: {exc}", field=name) from None


def _judge_tables(report: JudgesReport) -> list[Any]:
    fits = Table(title="models (out of fold, grouped by judge)")
    for col in ("case type", "outcome", "decisions", "judges", "R²", "residual sd"):
        fits.add_column(col)
    for f in report.fits:
        fits.add_row(
            f.case_type, f.target, str(f.decisions), str(f.judges), f"{f.r2:.2f}",
            f"{f.residual_sd:.3f}",
        )  # fmt: skip
    judges = Table(
        title=f"judges (flagged at FDR {report.fdr:g}, {report.settings.min_cases}+ cases)"
    )
    for col in ("judge", "court", "cases", "index", "95% interval", "q", "flag"):
        judges.add_column(col)
    for j in report.judges:
        interval = "—" if j.ci_low is None else f"{j.ci_low:+.3f} … {j.ci_high:+.3f}"
        q = "—" if j.q_value is None else f"{j.q_value:.2g}"
        judges.add_row(
            j.judge, report.courts.get(j.judge, ""), str(j.cases), f"{j.index:+.3f}", interval,
            q, "flagged" if j.flagged else "",
        )  # fmt: skip
    flags = Table(title=f"flagged decisions ({len(report.flags)})")
    for col in ("decision", "judge", "case type", "decided", "observed", "predicted", "score", "q"):
        flags.add_column(col)
    for g in report.flags:
        flags.add_row(
            g.decision[:12], g.judge, g.case_type, g.decided_on.isoformat(), f"{g.observed:.3f}",
            f"{g.predicted:.3f}", f"{g.deviation_score:+.2f}", f"{g.q_value:.2g}",
        )  # fmt: skip
    return [fits, judges, flags]


@app.command("judges")
def supervise_judges(
    ctx: typer.Context,
    as_json: JsonOption = False,
    plot: PlotOption = None,
    known_at: KnownAtOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
) -> None:
    """Judges whose decisions deviate from what the case facts predict, and the
    decisions that deviate most, flagged at the pack's false discovery rate."""
    from socialcredit.supervision import funnel
    from socialcredit.supervision.judges import supervise_judges as run

    report = run(
        open_store(ctx),
        known_at=instant(known_at),
        since=day_option(since, "since"),
        until=day_option(until, "until"),
    )
    emit(
        report.to_dict(),
        as_json,
        plot,
        lambda: funnel.svg(report.judges),
        lambda: _judge_tables(report),
    )
