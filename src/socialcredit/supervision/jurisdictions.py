"""Local governments' responsiveness to directives from a higher level.

Per jurisdiction and directive: when it was implemented (its packs activated, its
providers reporting the new category, or a supervision finding), the share of its
providers' first reports made within N working days of the act since the directive, and
the share of objection answers its providers gave by their deadline. A responsiveness
score weighs the three parts (``responsiveness.weights`` in indicators.yaml); the report
ranks the jurisdictions for each directive with the distribution of their answers, over
time by the quarter of issue, and overall. Information for supervisors only
(``kind: supervision.jurisdictions``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from socialcredit.clock import day_of, naive_utc
from socialcredit.policy.indicators import Responsiveness
from socialcredit.store.database import Store
from socialcredit.supervision.context import Context, load_context
from socialcredit.supervision.context import categories_read as context_categories
from socialcredit.supervision.directives import (
    Directive,
    Implementation,
    implementation,
    providers_by_jurisdiction,
    read_directives,
    read_timeline,
)
from socialcredit.supervision.officials import NOTICE
from socialcredit.supervision.period import Period, period_of
from socialcredit.supervision.ranking import distribution, quarter, ranks
from socialcredit.supervision.records import Row
from socialcredit.supervision.reporting import Timeliness, first_reported, timeliness
from socialcredit.supervision.setup import current_policy, indicator_settings, snapshot_now

KIND = "supervision.jurisdictions"
NOT_COUNTED = ("registry", "remedy")  # category kinds whose timing says nothing


@dataclass(frozen=True)
class Response:
    """One jurisdiction's answer to one directive."""

    directive: Directive
    name: str
    done: Implementation
    days_late: int
    on_time: bool | None  # None: not implemented and not yet due
    data: tuple[int, int]  # first reports on time, of all
    objections: tuple[int, int]  # answers on time, of all due
    score: float | None

    @property
    def days_to_implement(self) -> int | None:
        return None if self.done.day is None else (self.done.day - self.directive.issued).days

    def to_dict(self, rank: int | None) -> dict[str, Any]:
        d = self.directive
        return {
            "rank": rank,
            "jurisdiction": d.jurisdiction,
            "addressee": d.addressee,
            "name": self.name,
            "implemented": None if self.done.day is None else self.done.day.isoformat(),
            "evidence": self.done.evidence,
            "days_to_implement": self.days_to_implement,
            "days_late": self.days_late,
            "on_time": self.on_time,
            "data_on_time": _share(self.data),
            "data_reports": self.data[1],
            "objections_on_time": _share(self.objections),
            "objections_due": self.objections[1],
            "score": self.score,
            "records": [d.record, *self.done.records],
        }


def _share(pair: tuple[int, int]) -> float | None:
    return None if pair[1] == 0 else round(pair[0] / pair[1], 4)


def _score(r: Responsiveness, implemented: float | None, *shares: float | None) -> float | None:
    w = r.weights
    parts = [
        (weight, value)
        for weight, value in zip(
            (w.implementation, w.data_on_time, w.objections_on_time),
            (implemented, *shares),
            strict=True,
        )
        if value is not None and weight > 0
    ]
    if not parts:
        return None
    return round(sum(a * b for a, b in parts) / sum(a for a, _ in parts), 4)


@dataclass(frozen=True)
class _Inputs:
    settings: Responsiveness
    ctx: Context
    providers: dict[str, set[str]]
    timely: Timeliness
    late: dict[tuple[str, str], list[Row]]


def _respond(d: Directive, done: Implementation, inp: _Inputs) -> Response:
    today, r = inp.ctx.today, inp.settings
    if done.day is not None:
        days_late = max(0, (done.day - d.deadline).days)
        on_time: bool | None = days_late == 0
    else:
        days_late = max(0, (today - d.deadline).days)
        on_time = False if today > d.deadline else None
    implemented = None if on_time is None else max(0.0, 1.0 - days_late / r.grace_days)
    category = d.target if d.task == "data_reporting" else None
    data = inp.timely.share(d.jurisdiction, category, d.issued, today)
    mine = inp.providers.get(d.jurisdiction, set())
    due = [
        c
        for c in inp.ctx.cases
        if c.provider in mine and c.answer_by is not None and d.issued <= c.answer_by < today
    ]
    objections = (sum(not c.answered_late(today) for c in due), len(due))
    inst = inp.ctx.units.institutions.get(d.addressee)
    name = inst.name if inst is not None else d.addressee
    score = _score(r, implemented, _share(data), _share(objections))
    return Response(d, name, done, days_late, on_time, data, objections, score)


@dataclass(frozen=True)
class JurisdictionsReport:
    known_at: dt.datetime
    period: Period
    policy_version: str
    settings: Responsiveness
    responses: list[Response]

    def directives(self) -> list[dict[str, Any]]:
        groups: dict[tuple[str, str], list[Response]] = {}
        for resp in self.responses:
            groups.setdefault((resp.directive.number, resp.directive.issuer), []).append(resp)
        out = []
        for (number, issuer), members in sorted(
            groups.items(), key=lambda kv: (kv[1][0].directive.issued, kv[0])
        ):
            members.sort(key=lambda m: (m.score is None, -(m.score or 0), m.directive.jurisdiction))
            first = members[0].directive
            days = [m.days_to_implement for m in members if m.days_to_implement is not None]
            scores = [m.score for m in members if m.score is not None]
            out.append(
                {
                    "directive": number,
                    "issuer": issuer,
                    "task": first.task,
                    "target": first.target,
                    "issued": first.issued.isoformat(),
                    "deadline": first.deadline.isoformat(),
                    "addressees": len(members),
                    "implemented": sum(m.done.day is not None for m in members),
                    "on_time": sum(m.on_time is True for m in members),
                    "days_to_implement": distribution(days),
                    "scores": distribution(scores),
                    "ranking": [
                        m.to_dict(rank)
                        for m, rank in zip(members, ranks([m.score for m in members]), strict=True)
                    ],
                }
            )
        return out

    def over_time(self) -> list[dict[str, Any]]:
        by_quarter: dict[str, list[Response]] = {}
        for resp in self.responses:
            by_quarter.setdefault(quarter(resp.directive.issued), []).append(resp)
        out = []
        for q, members in sorted(by_quarter.items()):
            days = [m.days_to_implement for m in members if m.days_to_implement is not None]
            decided = [m for m in members if m.on_time is not None]
            out.append(
                {
                    "quarter": q,
                    "directives": len({m.directive.number for m in members}),
                    "responses": len(members),
                    "on_time_share": _share(
                        (sum(m.on_time is True for m in decided), len(decided))
                    ),
                    "days_to_implement": distribution(days),
                    "jurisdictions": self._ranking(members),
                }
            )
        return out

    def _ranking(self, members: Sequence[Response]) -> list[dict[str, Any]]:
        per: dict[str, list[Response]] = {}
        for m in members:
            per.setdefault(m.directive.jurisdiction, []).append(m)
        means: dict[str, float | None] = {}
        for code, mine in per.items():
            scores = [m.score for m in mine if m.score is not None]
            means[code] = round(sum(scores) / len(scores), 4) if scores else None
        order = sorted(per, key=lambda c: (means[c] is None, -(means[c] or 0.0), c))
        rows = []
        for code, rank in zip(order, ranks([means[c] for c in order]), strict=True):
            mine = per[code]
            rows.append(
                {
                    "rank": rank,
                    "jurisdiction": code,
                    "name": mine[0].name,
                    "directives": len(mine),
                    "on_time": sum(m.on_time is True for m in mine),
                    "late_or_owed": sum(m.on_time is False for m in mine),
                    "mean_days_late": round(sum(m.days_late for m in mine) / len(mine), 2),
                    "mean_score": means[code],
                }
            )
        return rows

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": KIND,
            "information_only": True,
            "notice": NOTICE,
            "known_at": self.known_at.replace(tzinfo=dt.UTC).isoformat(),
            "period": self.period.to_dict(),
            "policy_version": self.policy_version,
            "weights": self.settings.weights.model_dump(),
            "report_within_working_days": self.settings.report_within_working_days,
            "grace_days": self.settings.grace_days,
            "ranking": self._ranking(self.responses),
            "directives": self.directives(),
            "over_time": self.over_time(),
        }


def jurisdictions_report(
    store: Store, *, since: dt.date | None = None, until: dt.date | None = None
) -> JurisdictionsReport:
    """Responsiveness to the directives issued in the period, as of now."""
    now = naive_utc(store.clock.now())
    today = day_of(now)
    period = period_of(today, since, until)
    policy = current_policy(store)
    r = indicator_settings(policy).responsiveness
    providers = providers_by_jurisdiction(store)
    timeline = read_timeline(store)
    counted = {c for c in policy.catalogue.names() if policy.catalogue[c].kind not in NOT_COUNTED}
    # two exports as of the same instant: the directives (with the units and the objection
    # cases), then the records whose reporting is timed and the categories to report
    read = context_categories([r.directive, r.late])
    with snapshot_now(store, now, read) as snap:
        ctx = load_context(store, snap, policy, period, today, [r.directive, r.late])
    directives = [d for d in read_directives(ctx.of(r.directive)) if d.issued in period]
    wanted = {d.target for d in directives if d.task == "data_reporting"}
    groups = {d.jurisdiction: providers.get(d.jurisdiction, set()) for d in directives}
    # the second reads when each record was reported, by whom: not its attributes
    with snapshot_now(store, now, counted | wanted, attributes=False) as snap:
        first = first_reported(snap, wanted)
        timely = timeliness(
            snap, groups, r.report_within_working_days, counted, wanted, period.since, today
        )
    late: dict[tuple[str, str], list[Row]] = {}
    for row in ctx.of(r.late):
        late.setdefault((row.subject, row.text("directive") or ""), []).append(row)
    inputs = _Inputs(r, ctx, providers, timely, late)
    responses = []
    for d in directives:
        done = implementation(
            d, timeline, providers.get(d.jurisdiction, set()), first,
            late.get((d.addressee, d.number), []),
        )  # fmt: skip
        responses.append(_respond(d, done, inputs))
    return JurisdictionsReport(now, period, policy.version, r, responses)


__all__ = ["KIND", "JurisdictionsReport", "Response", "jurisdictions_report"]
