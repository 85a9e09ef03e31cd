"""``socialcredit supervise officials|jurisdictions``: the supervision indicators of
officials and institutions, and local governments' responsiveness to directives.

Information for supervisors: nothing here feeds a list, a measure or a score.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from socialcredit.cli.options import JsonOption, open_store, out, print_json
from socialcredit.errors import InvalidOption, InvalidTime

app = typer.Typer(
    no_args_is_help=True,
    help="Supervision analytics: officials, institutions and local governments (information only).",
)

SinceOption = Annotated[
    str | None,
    typer.Option("--since", help="First day of the period (YYYY-MM-DD; default a year ago)."),
]
UntilOption = Annotated[
    str | None, typer.Option("--until", help="Last day of the period (YYYY-MM-DD; default today).")
]
PlotOption = Annotated[
    Path | None, typer.Option("--plot", help="Also draw the figures to this SVG file.")
]
TOP = 10  # units shown per indicator in the table


def _day(value: str | None, option: str) -> dt.date | None:
    from socialcredit.clock import iso_day

    if value is None:
        return None
    try:
        return iso_day(value)
    except ValueError as exc:
        raise InvalidTime(f"{option}: {exc}", field=option) from None


def _check_plot(plot: Path | None) -> None:
    """Refuse, before any work, a figure file that cannot be written."""
    if plot is not None and (not plot.parent.is_dir() or plot.is_dir()):
        raise InvalidOption(f"--plot: cannot write {plot}: no such folder", field="--plot")


def _draw(plot: Path, svg: str) -> None:
    try:
        plot.write_text(svg, encoding="utf-8")
    except OSError as exc:
        raise InvalidOption(
            f"--plot: cannot write {plot}: {exc.strerror}", field="--plot"
        ) from None


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.4g}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def officials(
    ctx: typer.Context,
    since: SinceOption = None,
    until: UntilOption = None,
    indicator: Annotated[
        list[str] | None,
        typer.Option("--indicator", help="Only this indicator (repeat for several)."),
    ] = None,
    as_json: JsonOption = False,
    plot: PlotOption = None,
) -> None:
    """Indicators of officials and institutions as the active packs define them
    (indicators.yaml): per unit its value, its percentile among units of the same type and
    level, and the records behind it; red flags in procurement with the awards that raise
    them."""
    from socialcredit.supervision.charts import officials_svg
    from socialcredit.supervision.officials import officials_report

    _check_plot(plot)
    report = officials_report(
        open_store(ctx),
        since=_day(since, "--since"),
        until=_day(until, "--until"),
        only=indicator or (),
    )
    if plot is not None:
        _draw(plot, officials_svg(report))
    body = report.to_dict()
    if as_json:
        print_json(body)
        return
    period = body["period"]
    out.print(
        f"[bold]Supervision of officials and institutions[/bold], {period['since']} to "
        f"{period['until']}: {body['institutions']} institutions, {body['officials']} "
        f"officials; {body['notice']}",
        highlight=False,
    )
    for ind in body["indicators"]:
        for kind, units in ind["units"].items():
            shown = [u for u in units if u["value"]][:TOP]
            table = Table(
                title=f"{ind['title']} ({kind}s: {sum(1 for u in units if u['value'])} "
                f"of {len(units)} above zero)"
            )
            for col in ("unit", "name", "group", "value", "of", "percentile", "records"):
                table.add_column(col, justify="right" if col in ("value", "of") else "left")
            for u in shown:
                table.add_row(
                    u["unit"],
                    u.get("institution") or u["name"],
                    u["group"],
                    _cell(u["value"]),
                    _cell(u["denominator"]),
                    _cell(u["percentile"]),
                    str(len(u["records"])),
                )
            out.print(table)
    if plot is not None:
        out.print(f"figures drawn to {plot}", highlight=False)


def jurisdictions(
    ctx: typer.Context,
    since: SinceOption = None,
    until: UntilOption = None,
    as_json: JsonOption = False,
    plot: PlotOption = None,
) -> None:
    """Local governments' responsiveness to the directives issued in the period: per
    jurisdiction and directive the time to implement, the share of its data reported on
    time and its objection answers on time, a weighted score, the ranking per directive
    with its distribution, over time and overall."""
    from socialcredit.supervision.charts import jurisdictions_svg
    from socialcredit.supervision.jurisdictions import jurisdictions_report

    _check_plot(plot)
    report = jurisdictions_report(
        open_store(ctx), since=_day(since, "--since"), until=_day(until, "--until")
    )
    if plot is not None:
        _draw(plot, jurisdictions_svg(report))
    body = report.to_dict()
    if as_json:
        print_json(body)
        return
    ranking = Table(title=f"responsiveness, directives issued {body['period']['since']} to "
                    f"{body['period']['until']}")  # fmt: skip
    for col in ("rank", "jurisdiction", "name", "directives", "on time", "late or owed",
                "mean days late", "mean score"):  # fmt: skip
        ranking.add_column(col)
    for r in body["ranking"]:
        ranking.add_row(
            _cell(r["rank"]), r["jurisdiction"], r["name"], _cell(r["directives"]),
            _cell(r["on_time"]), _cell(r["late_or_owed"]), _cell(r["mean_days_late"]),
            _cell(r["mean_score"]),
        )  # fmt: skip
    out.print(ranking)
    directives = Table(title="directives")
    for col in ("directive", "task", "target", "issued", "deadline", "addressees", "on time",
                "median days", "median score"):  # fmt: skip
        directives.add_column(col)
    for d in body["directives"]:
        directives.add_row(
            d["directive"], d["task"], d["target"], d["issued"], d["deadline"],
            _cell(d["addressees"]), _cell(d["on_time"]),
            _cell(d["days_to_implement"]["median"]), _cell(d["scores"]["median"]),
        )  # fmt: skip
    out.print(directives)
    out.print(body["notice"], highlight=False)
    if plot is not None:
        out.print(f"figures drawn to {plot}", highlight=False)


app.command("officials")(officials)
app.command("jurisdictions")(jurisdictions)

__all__ = ["app", "jurisdictions", "officials"]
