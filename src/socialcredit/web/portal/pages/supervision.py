"""``/dashboards/supervision``: the latest saved run of each supervision analytic
(``socialcredit supervise <kind> --save``), its chart inlined as SVG beside the table of
its main figures, when it was computed and as of when; supervisors and auditors only,
by the permission table. Nothing is computed here: the judges' and the jurisdictions'
reports take tens of seconds, so the page shows what was saved, or says how to save it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from babel import dates
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from socialcredit.clock import CHINA
from socialcredit.dashboards.charts import UnsafeChart, inline
from socialcredit.supervision.saved import KINDS, SavedReport, latest
from socialcredit.web.deps import StoreDep
from socialcredit.web.portal.i18n import Language
from socialcredit.web.portal.render import N_, page, visit
from socialcredit.web.portal.supervision_tables import TABLES, Table

PATH = "/dashboards/supervision"
router = APIRouter(include_in_schema=False)

TITLES = {
    "judges": N_("Judges: deviation from what the case facts predict"),
    "officials": N_("Officials and institutions: supervision indicators"),
    "jurisdictions": N_("Local governments: responsiveness to directives"),
    "providers": N_("Data providers: reliability over time"),
}
NOTES = {
    "judges": N_(
        "The funnel plot: each judge's deviation index against the number of decisions, "
        "with 95% and 99.8% control limits. The table lists the judges flagged."
    ),
    "officials": N_(
        "How each indicator's values spread over the institutions of each type and level. "
        "The table sums up each indicator and names the unit with the highest value."
    ),
    "jurisdictions": N_(
        "The ranking by mean responsiveness score, and the scores each directive drew. "
        "The table is the overall ranking."
    ),
    "providers": N_(
        "Each feed's reliability score week by week, the least reliable feeds drawn. "
        "The table lists every feed with its score."
    ),
}


@dataclass(frozen=True)
class Section:
    """One analytic as the page shows it, in the page's language."""

    kind: str
    title: str
    note: str
    command: str  # what saves a run
    saved: SavedReport | None
    computed: str = ""  # when it was computed, China time
    known: str = ""  # the ledger as known at
    chart: Markup | None = None
    problem: str = ""  # why the run is not shown
    table: Table | None = None


def when(lang: Language, value: dt.datetime) -> str:
    """A stored instant (naive UTC) in China time, in the page's locale."""
    local = value.replace(tzinfo=dt.UTC).astimezone(CHINA)
    return dates.format_datetime(local, format="medium", tzinfo=CHINA, locale=lang.locale)


def section(lang: Language, kind: str, saved: SavedReport | None) -> Section:
    title = lang.gettext(TITLES[kind])
    base = Section(
        kind, title, lang.gettext(NOTES[kind]), f"socialcredit supervise {kind} --save", saved
    )
    if saved is None:
        return base
    shown = replace(base, computed=when(lang, saved.computed_at), known=when(lang, saved.known_at))
    if not saved.intact:
        problem = lang.gettext(
            "This run no longer matches the audit entry that saved it: it is not shown. "
            "Verify the audit chain and save the analytic again."
        )
        return replace(shown, problem=problem)
    table = TABLES[kind](lang, saved.report)
    try:
        # the chart as the CLI drew it, checked to carry no script and no URL
        chart = Markup(inline(saved.svg, kind, title))
    except UnsafeChart:
        problem = lang.gettext("The chart of this run is not plain drawing markup: not shown.")
        return replace(shown, problem=problem, table=table)
    return replace(shown, chart=chart, table=table)


@router.get(PATH)
def supervision_page(request: Request, store: StoreDep) -> HTMLResponse:
    lang = visit(request).lang
    saved = latest(store)
    sections = [section(lang, kind, saved[kind]) for kind in KINDS]
    return page(request, "supervision.html", sections=sections)
