"""``socialcredit fairness``: outcome rates by sex, age band and home region against the
population, per scheme, and the groups the pack's rule flags (monitoring/fairness.py).
Information for the supervisors' review: nothing here feeds a list, a measure or a score."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from socialcredit.cli.options import JsonOption, open_store
from socialcredit.cli.supervise import PlotOption, day_option, emit

DayOption = Annotated[
    str | None,
    typer.Option("--day", help="The day the outcomes are counted on (YYYY-MM-DD; default today)."),
]


def _tables(body: dict[str, Any]) -> list[Any]:
    s = body["settings"]
    out: list[Any] = [
        f"[bold]Outcome monitoring[/bold] on {body['day']}: a group is flagged when its ratio "
        f"(population rate / group rate) is below {s['threshold']:g} with {s['min_cases']}+ "
        f"members and {s['min_events']}+ outcomes, its {s['confidence']:.0%} Wilson interval "
        f"above the population's rate. {body['note']}."
    ]
    for o in body["outcomes"]:
        p = o["population"]
        table = Table(
            title=f"{o['scheme']}: {o['title']} — population {p['events']} of {p['cases']} "
            f"({p['rate']:.2%})"
        )
        for col in ("dimension", "group", "outcomes", "of", "rate", "interval", "ratio", "flag"):
            table.add_column(col)
        for g in o["groups"]:
            table.add_row(
                g["dimension"], g["group"], str(g["events"]), str(g["cases"]),
                f"{g['rate']:.2%}", f"{g['low']:.2%}–{g['high']:.2%}",
                "—" if g["ratio"] is None else f"{g['ratio']:.2f}",
                "FLAG" if g["flagged"] else "",
            )  # fmt: skip
        out.append(table)
    flags = body["flags"]
    out.append(f"{len(flags)} group(s) flagged" + (":" if flags else "."))
    out += [f"  {f['scheme']} {f['outcome']}: {f['dimension']} {f['group']} "
            f"(ratio {f['ratio']})" for f in flags]  # fmt: skip
    return out


def fairness(
    ctx: typer.Context,
    day: DayOption = None,
    as_json: JsonOption = False,
    plot: PlotOption = None,
) -> None:
    """Outcome rates (listing, the two lowest grades, denied checks, objections upheld)
    by sex, age band and home region against the population, with Wilson intervals and
    disparity ratios; groups past the pack's threshold are flagged for review."""
    from socialcredit.monitoring.chart import svg
    from socialcredit.monitoring.fairness import report_now

    store = open_store(ctx)
    try:
        report = report_now(store, day_option(day, "day"))
    finally:
        store.close()
    body = report.to_json()
    emit(body, as_json, plot, lambda: svg(report), lambda: _tables(body))
