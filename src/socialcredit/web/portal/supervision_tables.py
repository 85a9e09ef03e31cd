"""The main figures of each saved supervision report, as the rows of the table beside its
chart on ``/dashboards/supervision``: the judges flagged, each indicator's spread, the
responsiveness ranking, the feeds' scores. Read from the report's JSON as saved (the
``to_dict()`` of ``socialcredit supervise <kind> --json``); cells are formatted in the
page's language."""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from socialcredit.web.portal.i18n import Language
from socialcredit.web.portal.render import N_

MAX_ROWS = 25  # rows shown per table; the whole report is the CLI's --json


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]  # translated
    numeric: tuple[bool, ...]  # right-aligned columns
    rows: tuple[tuple[str, ...], ...]
    total: int  # rows in the report (more than shown when above MAX_ROWS)
    summary: str  # one line of what the report found, translated


def _num(lang: Language, value: Any, digits: int = 0) -> str:
    if value is None:
        return "—"
    return lang.number(value, digits)


def _signed(value: Any, digits: int = 3) -> str:
    return "—" if value is None else f"{value:+.{digits}f}"


def _table(
    lang: Language,
    columns: tuple[tuple[str, bool], ...],
    rows: Sequence[tuple[str, ...]],
    summary: str,
) -> Table:
    headers = tuple(lang.gettext(label) for label, _ in columns)
    numeric = tuple(num for _, num in columns)
    return Table(headers, numeric, tuple(rows[:MAX_ROWS]), len(rows), summary)


def judges(lang: Language, report: dict[str, Any]) -> Table:
    flagged = [j for j in report.get("judges", []) if j.get("flagged")]
    rows = [
        (
            str(j["judge"]),
            str(j.get("court") or "—"),
            _num(lang, j["cases"]),
            _signed(j["index"]),
            "—" if j.get("ci_low") is None else f"{j['ci_low']:+.3f} … {j['ci_high']:+.3f}",
            "—" if j.get("q_value") is None else f"{j['q_value']:.2g}",
        )
        for j in sorted(flagged, key=lambda j: (j.get("q_value") or 1.0, -abs(j["index"])))
    ]
    summary = lang.gettext(
        "%(judges)s judges, %(decisions)s decisions scored; %(flagged)s judges and "
        "%(flags)s decisions flagged at a false discovery rate of %(fdr)s (judges with "
        "%(min)s decisions or more)."
    ) % {
        "judges": _num(lang, len(report.get("judges", []))),
        "decisions": _num(lang, report.get("scored", 0)),
        "flagged": _num(lang, len(flagged)),
        "flags": _num(lang, len(report.get("flags", []))),
        "fdr": f"{report.get('fdr', 0):g}",
        "min": _num(lang, report.get("min_cases", 0)),
    }
    columns = (
        (N_("Judge"), False),
        (N_("Court"), False),
        (N_("Decisions"), True),
        (N_("Deviation index"), True),
        (N_("95% interval"), True),
        (N_("q-value"), True),
    )
    return _table(lang, columns, rows, summary)


UNIT_KINDS = {"institution": N_("institutions"), "official": N_("officials")}


def _highest(unit: dict[str, Any]) -> str:
    name = str(unit.get("name") or unit["unit"])
    return f"{name} ({unit['institution']})" if unit.get("institution") else name


def officials(lang: Language, report: dict[str, Any]) -> Table:
    rows = []
    for ind in report.get("indicators", []):
        title = ind.get("title_zh") if lang.is_chinese and ind.get("title_zh") else ind["title"]
        for kind, units in ind.get("units", {}).items():
            values = [u for u in units if u.get("value") is not None]
            above = [u for u in values if u["value"]]
            top = max(values, key=lambda u: u["value"], default=None)
            rows.append(
                (
                    str(title),
                    lang.gettext(UNIT_KINDS.get(kind, kind)),
                    _num(lang, len(units)),
                    _num(lang, len(above)),
                    _num(
                        lang, statistics.median(u["value"] for u in values) if values else None, 2
                    ),
                    _num(lang, top["value"] if top else None, 2),
                    _highest(top) if top and top["value"] else "—",
                    _num(lang, top.get("percentile") if top and top["value"] else None, 1),
                )
            )
    period = report.get("period", {})
    summary = lang.gettext(
        "%(institutions)s institutions and %(officials)s officials, %(since)s to %(until)s."
    ) % {
        "institutions": _num(lang, report.get("institutions", 0)),
        "officials": _num(lang, report.get("officials", 0)),
        "since": lang.date(period.get("since")),
        "until": lang.date(period.get("until")),
    }
    columns = (
        (N_("Indicator"), False),
        (N_("Units"), False),
        (N_("Counted"), True),
        (N_("Above zero"), True),
        (N_("Median"), True),
        (N_("Highest"), True),
        (N_("Highest unit"), False),
        (N_("Its percentile"), True),
    )
    return _table(lang, columns, rows, summary)


def jurisdictions(lang: Language, report: dict[str, Any]) -> Table:
    rows = [
        (
            _num(lang, r.get("rank")),
            str(r["jurisdiction"]),
            str(r.get("name") or "—"),
            _num(lang, r.get("directives")),
            _num(lang, r.get("on_time")),
            _num(lang, r.get("late_or_owed")),
            _num(lang, r.get("mean_days_late"), 1),
            _num(lang, r.get("mean_score"), 2),
        )
        for r in report.get("ranking", [])
    ]
    period = report.get("period", {})
    summary = lang.gettext(
        "%(directives)s directives issued %(since)s to %(until)s, to %(jurisdictions)s "
        "jurisdictions."
    ) % {
        "directives": _num(lang, len(report.get("directives", []))),
        "since": lang.date(period.get("since")),
        "until": lang.date(period.get("until")),
        "jurisdictions": _num(lang, len(rows)),
    }
    columns = (
        (N_("Rank"), True),
        (N_("Jurisdiction"), False),
        (N_("Name"), False),
        (N_("Directives"), True),
        (N_("On time"), True),
        (N_("Late or owed"), True),
        (N_("Mean days late"), True),
        (N_("Mean score"), True),
    )
    return _table(lang, columns, rows, summary)


def providers(lang: Language, report: dict[str, Any]) -> Table:
    rows = [
        (
            str(f["provider"]),
            str(f.get("category") or "—"),
            _num(lang, f["score"], 1),
            _num(lang, f.get("sent")),
            str(f.get("hold") or "—"),
        )
        for f in report.get("feeds", [])
    ]
    held = sum(1 for f in report.get("feeds", []) if f.get("hold"))
    summary = lang.gettext(
        "%(feeds)s feeds, the least reliable first, as of the week of %(week)s (each score "
        "over %(window)s weeks); %(held)s on hold."
    ) % {
        "feeds": _num(lang, len(rows)),
        "week": lang.date(report.get("week")),
        "window": _num(lang, report.get("window_weeks")),
        "held": _num(lang, held),
    }
    columns = (
        (N_("Provider"), False),
        (N_("Category"), False),
        (N_("Reliability (0-100)"), True),
        (N_("Records sent"), True),
        (N_("Hold"), False),
    )
    return _table(lang, columns, rows, summary)


TABLES: dict[str, Callable[[Language, dict[str, Any]], Table]] = {
    "judges": judges,
    "officials": officials,
    "jurisdictions": jurisdictions,
    "providers": providers,
}

__all__ = ["MAX_ROWS", "TABLES", "Table"]
