"""``socialcredit supervise officials|jurisdictions``: the supervision indicators of
officials and institutions, and local governments' responsiveness to directives.

Two commands of the ``supervise`` group (``cli/supervise.py``), registered on it by
:func:`register`; they share the group's ``--plot`` option and print through its
:func:`~socialcredit.cli.supervise.emit`. Information for supervisors: nothing here feeds
a list, a measure or a score.
"""

from __future__ import annotations

import time
from typing import Annotated, Any

import typer
from rich.table import Table

from socialcredit.cli.options import JsonOption, open_store
from socialcredit.cli.supervise import PlotOption, SaveOption, day_option, emit, saving

SinceOption = Annotated[
    str | None,
    typer.Option("--since", help="First day of the period (YYYY-MM-DD; default a year ago)."),
]
UntilOption = Annotated[
    str | None, typer.Option("--until", help="Last day of the period (YYYY-MM-DD; default today).")
]
TOP = 10  # units shown per indicator in the table


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.4g}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def _officials_tables(body: dict[str, Any]) -> list[Any]:
    period = body["period"]
    out: list[Any] = [
        f"[bold]Supervision of officials and institutions[/bold], {period['since']} to "
        f"{period['until']}: {body['institutions']} institutions, {body['officials']} "
        f"officials; {body['notice']}"
    ]
    for ind in body["indicators"]:
        for kind, units in ind["units"].items():
            above = [u for u in units if u["value"]]
            table = Table(
                title=f"{ind['title']} ({kind}s: {len(above)} of {len(units)} above zero)"
            )
            for col in ("unit", "name", "group", "value", "of", "percentile", "records"):
                table.add_column(col, justify="right" if col in ("value", "of") else "left")
            for u in above[:TOP]:
                table.add_row(
                    u["unit"],
                    u.get("institution") or u["name"],
                    u["group"],
                    _cell(u["value"]),
                    _cell(u["denominator"]),
                    _cell(u["percentile"]),
                    str(len(u["records"])),
                )
            out.append(table)
    return out


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
    save: SaveOption = False,
) -> None:
    """Indicators of officials and institutions as the active packs define them
    (indicators.yaml): per unit its value, its percentile among units of the same type and
    level, and the records behind it; red flags in procurement with the awards that raise
    them."""
    from socialcredit.supervision.charts import officials_svg
    from socialcredit.supervision.officials import officials_report

    started = time.perf_counter()
    store = open_store(ctx)
    report = officials_report(
        store,
        since=day_option(since, "since"),
        until=day_option(until, "until"),
        only=indicator or (),
    )
    body = report.to_dict()
    params = {"since": since, "until": until, "indicators": indicator or []}
    emit(
        body,
        as_json,
        plot,
        lambda: officials_svg(report),
        lambda: _officials_tables(body),
        saving(store, "officials", report.known_at, params, started) if save else None,
    )


def _jurisdictions_tables(body: dict[str, Any]) -> list[Any]:
    period = body["period"]
    ranking = Table(title=f"responsiveness, directives issued {period['since']} to "
                    f"{period['until']}")  # fmt: skip
    for col in ("rank", "jurisdiction", "name", "directives", "on time", "late or owed",
                "mean days late", "mean score"):  # fmt: skip
        ranking.add_column(col)
    for r in body["ranking"]:
        ranking.add_row(
            _cell(r["rank"]), r["jurisdiction"], r["name"], _cell(r["directives"]),
            _cell(r["on_time"]), _cell(r["late_or_owed"]), _cell(r["mean_days_late"]),
            _cell(r["mean_score"]),
        )  # fmt: skip
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
    return [ranking, directives, body["notice"]]


def jurisdictions(
    ctx: typer.Context,
    since: SinceOption = None,
    until: UntilOption = None,
    as_json: JsonOption = False,
    plot: PlotOption = None,
    save: SaveOption = False,
) -> None:
    """Local governments' responsiveness to the directives issued in the period: per
    jurisdiction and directive the time to implement, the share of its data reported on
    time and its objection answers on time, a weighted score, the ranking per directive
    with its distribution, over time and overall."""
    from socialcredit.supervision.charts import jurisdictions_svg
    from socialcredit.supervision.jurisdictions import jurisdictions_report

    started = time.perf_counter()
    store = open_store(ctx)
    report = jurisdictions_report(
        store, since=day_option(since, "since"), until=day_option(until, "until")
    )
    body = report.to_dict()
    params = {"since": since, "until": until}
    emit(
        body,
        as_json,
        plot,
        lambda: jurisdictions_svg(report),
        lambda: _jurisdictions_tables(body),
        saving(store, "jurisdictions", report.known_at, params, started) if save else None,
    )


def register(group: typer.Typer) -> None:
    """Add the two commands to the ``supervise`` group."""
    group.command("officials")(officials)
    group.command("jurisdictions")(jurisdictions)


__all__ = ["jurisdictions", "officials", "register"]
