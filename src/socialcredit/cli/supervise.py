"""``socialcredit supervise judges`` -- the supervision analytics, one command each.

Every command of the group shares :data:`JsonOption`, :data:`PlotOption` and
:data:`SaveOption` and prints through :func:`emit`: a table by default, ``--json`` for the
whole report, ``--plot FILE.svg`` for the analytic's chart, ``--save`` to keep the run
(report and chart) for the supervisors' page ``/dashboards/supervision``
(:mod:`socialcredit.supervision.saved`). ``socialcredit justifications`` takes the review
steps of what the judges' analytic flags.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from socialcredit.cli.options import JsonOption, KnownAtOption, instant, open_store, out, print_json
from socialcredit.clock import iso_day
from socialcredit.errors import InvalidOption, InvalidTime
from socialcredit.private_files import create_private

if TYPE_CHECKING:
    from socialcredit.store.database import Store
    from socialcredit.supervision.judges import JudgesReport

app = typer.Typer(
    no_args_is_help=True,
    help="Supervision analytics: judges (deviation of decisions from their facts).",
)
PlotOption = Annotated[
    Path | None, typer.Option("--plot", help="Write the analytic's chart to this SVG file.")
]
SaveOption = Annotated[
    bool,
    typer.Option(
        "--save",
        help="Keep this run (report and chart, in the audit chain) for the supervisors' page "
        "/dashboards/supervision; the last 20 runs of each analytic are kept.",
    ),
]
SinceOption = Annotated[
    str | None, typer.Option("--since", help="Only decisions from this day (YYYY-MM-DD).")
]
UntilOption = Annotated[
    str | None, typer.Option("--until", help="Only decisions up to this day (YYYY-MM-DD).")
]


@dataclass(frozen=True)
class Saving:
    """What ``--save`` keeps with a run besides its report and chart."""

    store: Store
    kind: str
    known_at: dt.datetime  # the ledger as known at this instant
    parameters: dict[str, Any]
    started: float  # time.perf_counter() when the run began


def emit(
    body: dict[str, Any],
    as_json: bool,
    plot: Path | None,
    chart: Callable[[], str],
    tables: Callable[[], Iterable[Any]],
    saving: Saving | None = None,
) -> None:
    """What every supervision command prints: JSON or tables, the chart if asked, and
    the run saved if asked (the chart drawn once for both)."""
    svg = chart() if plot is not None or saving is not None else ""
    report = body  # what is saved: the report, without where its chart was written
    if plot is not None:  # first: a refused --plot saves nothing
        try:
            create_private(plot)  # the chart names judges: readable by its owner only
            plot.write_text(svg, encoding="utf-8")
        except OSError as exc:
            message = f"--plot: cannot write {plot}: {exc.strerror or exc}"
            raise InvalidOption(message, field="plot") from None
        body = {**body, "plot": str(plot)}
    saved = None
    if saving is not None:
        from socialcredit.supervision.saved import Run, require_kind, save

        run = Run(
            require_kind(saving.kind),
            saving.known_at,
            saving.parameters,
            report,
            svg,
            time.perf_counter() - saving.started,
        )
        saved = save(saving.store, run)
    if saved is not None:
        body = {**body, "saved": saved.summary()}
    if as_json:
        print_json(body)
        return
    for item in tables():
        out.print(item, highlight=False)
    if plot is not None:
        out.print(f"chart written to {plot}")
    if saved is not None:
        out.print(f"saved as {saved.id}: shown on /dashboards/supervision", highlight=False)


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
    save: SaveOption = False,
) -> None:
    """Judges whose decisions deviate from what the case facts predict, and the
    decisions that deviate most, flagged at the pack's false discovery rate."""
    from socialcredit.supervision import funnel
    from socialcredit.supervision.judges import supervise_judges as run

    started = time.perf_counter()
    store = open_store(ctx)
    report = run(
        store,
        known_at=instant(known_at),
        since=day_option(since, "since"),
        until=day_option(until, "until"),
    )
    params = {"known_at": known_at, "since": since, "until": until}
    emit(
        report.to_dict(),
        as_json,
        plot,
        lambda: funnel.svg(report.judges),
        lambda: _judge_tables(report),
        saving(store, "judges", report.known_at, params, started) if save else None,
    )


def saving(
    store: Store,
    kind: str,
    known_at: dt.datetime | None,
    parameters: dict[str, Any],
    started: float,
) -> Saving:
    """What ``--save`` needs; ``known_at`` None: the ledger as known now."""
    return Saving(store, kind, known_at or store.clock.now(), parameters, started)
