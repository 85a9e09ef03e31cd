"""The outcome monitoring report: per scheme and outcome, each group's rate by sex, age
band and home (birth) region against the population's, and the groups flagged.

The groups come from resident identity numbers (:mod:`.demographics`, the one module
that reads their digits); the outcomes from the store (:mod:`.outcomes`); the comparison
and the flag from the pack's ``supervision.fairness`` settings (:mod:`.disparity`). The
report is information for the supervisors' review: nothing that decides imports this
package (import-linter's layers, tests/test_scope_guard.py), and the safeguards lint
refuses any list or measure that would follow from a fairness output.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Connection

from socialcredit.clock import day_of
from socialcredit.ledger.policy_store import policy_at
from socialcredit.monitoring.demographics import Demographics, demographics
from socialcredit.monitoring.disparity import GroupRate, Rate, compare
from socialcredit.monitoring.outcomes import OUTCOMES, TITLES, read_outcomes
from socialcredit.policy.fairness import FairnessSettings
from socialcredit.policy.policy_set import PolicySet
from socialcredit.policy.supervision import effective
from socialcredit.store.database import Store

DIMENSIONS = ("sex", "age_band", "home_region")
DIMENSION_TITLES = {
    "sex": ("sex", "性别"),
    "age_band": ("age band", "年龄段"),
    "home_region": ("home (birth) region", "户籍地（出生地）"),
}


@dataclass(frozen=True)
class OutcomeReport:
    scheme: str
    outcome: str
    population: Rate
    groups: tuple[GroupRate, ...]


@dataclass(frozen=True)
class FairnessReport:
    day: dt.date
    settings: FairnessSettings
    outcomes: tuple[OutcomeReport, ...]

    @property
    def flags(self) -> list[tuple[OutcomeReport, GroupRate]]:
        return [(o, g) for o in self.outcomes for g in o.groups if g.flagged]

    def to_json(self) -> dict[str, Any]:
        def rate(r: Rate) -> dict[str, Any]:
            return {**asdict(r), "rate": round(r.rate, 6)}

        return {
            "day": self.day.isoformat(),
            "settings": self.settings.model_dump(mode="json", exclude={"legal_basis"}),
            "note": "information for the supervisors' review; no list, measure or "
            "decision follows from it",
            "outcomes": [
                {
                    "scheme": o.scheme,
                    "outcome": o.outcome,
                    "title": TITLES[o.outcome][0],
                    "title_zh": TITLES[o.outcome][1],
                    "population": rate(o.population),
                    "groups": [
                        {
                            "dimension": g.dimension,
                            "group": g.group,
                            **rate(g.rate),
                            "ratio": None if g.ratio is None else round(g.ratio, 4),
                            "flagged": g.flagged,
                        }
                        for g in o.groups
                    ],
                }
                for o in self.outcomes
            ],
            "flags": [
                {
                    "scheme": o.scheme,
                    "outcome": o.outcome,
                    "dimension": g.dimension,
                    "group": g.group,
                    "ratio": None if g.ratio is None else round(g.ratio, 4),
                }
                for o, g in self.flags
            ],
        }


def _groups(d: Demographics, day: dt.date) -> dict[str, str]:
    return {"sex": d.sex, "age_band": d.age_band(day), "home_region": d.birth_province}


def fairness_report(conn: Connection, policy: PolicySet, day: dt.date) -> FairnessReport:
    """The outcome rates of every scheme's groups on ``day``, under the pack's settings."""
    settings = effective(policy.packs).fairness
    found: list[OutcomeReport] = []
    cache: dict[str, dict[str, str]] = {}
    for scheme in read_outcomes(conn, policy, day):
        for outcome in OUTCOMES:
            at_risk, met = scheme.at_risk[outcome], scheme.met[outcome]
            if not at_risk:
                continue
            for dimension in DIMENSIONS:
                counts: dict[str, list[int]] = {}
                for person in at_risk:
                    if person not in cache:
                        cache[person] = _groups(demographics(person), day)
                    pair = counts.setdefault(cache[person][dimension], [0, 0])
                    pair[1] += 1
                    pair[0] += person in met
                population, groups = compare(
                    dimension, {k: (v[0], v[1]) for k, v in counts.items()}, settings
                )
                found.append(OutcomeReport(scheme.scheme, outcome, population, tuple(groups)))
    return FairnessReport(day, settings, _merge(found))


def _merge(found: list[OutcomeReport]) -> tuple[OutcomeReport, ...]:
    """One report per scheme and outcome, its groups of every dimension in order."""
    merged: dict[tuple[str, str], OutcomeReport] = {}
    for o in found:
        key = (o.scheme, o.outcome)
        if key in merged:
            before = merged[key]
            o = OutcomeReport(o.scheme, o.outcome, before.population, before.groups + o.groups)
        merged[key] = o
    return tuple(merged.values())


def flag_counts(report: FairnessReport) -> Counter[str]:
    """Flags per dimension (for summaries)."""
    return Counter(g.dimension for _o, g in report.flags)


def report_now(store: Store, day: dt.date | None = None) -> FairnessReport:
    """The report under the packs in force now, for ``day`` (default today)."""
    now = store.clock.now()
    with store.reader() as conn:
        policy, _note = policy_at(conn, now)
        return fairness_report(conn, policy, day or day_of(now))


__all__ = ["DIMENSIONS", "DIMENSION_TITLES", "FairnessReport", "OutcomeReport",
           "fairness_report", "flag_counts", "report_now"]  # fmt: skip
