"""The supervision of judges: deviation of decisions from what their facts predict.

:func:`supervise_judges` exports the records the analysis reads (those about the
judges, courts and defendants the decisions name) as known at an instant to a snapshot,
reads the decided cases (:mod:`~socialcredit.supervision.decisions`), predicts each
outcome out of fold (:mod:`~socialcredit.supervision.judges_model`), scores each
decision and each judge (:mod:`~socialcredit.supervision.deviation`) and flags at
the false discovery rate of the supervision settings in force. :func:`analyse` is the
same on decisions already read.

The benchmark is robust to the judges it finds: after a first round, the judges flagged
are left out of the training folds (still predicted, out of fold as before) and the
models are fitted again, until the flagged judges no longer change (at most
``ROUNDS`` rounds). Otherwise one deviating judge who decides most of a court level's
cases of a type would drag that level's prediction along, and make the other judges of
the level look deviating the other way. A flag is information and a review task: flagged
decisions may be sent to their court for a justification
(:mod:`socialcredit.supervision.justification`); nothing is listed or punished.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from socialcredit.engine.batch.snapshot import export_snapshot
from socialcredit.ledger.policy_store import policy_at
from socialcredit.policy.supervision import JudgeSupervision, SupervisionSettings, effective
from socialcredit.store.database import Store
from socialcredit.supervision.decisions import READ, Decisions, read_decisions
from socialcredit.supervision.deviation import JudgeIndex, Scores, judge_indices, score_decisions
from socialcredit.supervision.judges_model import TARGETS, fit_all

ROUNDS = 4


@dataclass(frozen=True)
class CaseTypeFit:
    case_type: str
    target: str
    decisions: int
    judges: int
    folds: int
    residual_sd: float
    r2: float


@dataclass(frozen=True)
class DecisionFlag:
    decision: str
    judge: str
    court: str
    provider: str
    case_type: str
    decided_on: dt.date
    observed: float
    predicted: float
    deviation_score: float
    p_value: float
    q_value: float

    def to_dict(self) -> dict[str, Any]:
        out = dict(self.__dict__)
        out["decided_on"] = self.decided_on.isoformat()
        return out


@dataclass(frozen=True)
class JudgesReport:
    known_at: dt.datetime | None
    since: dt.date | None
    until: dt.date | None
    settings: JudgeSupervision
    fdr: float
    fits: tuple[CaseTypeFit, ...]
    skipped: tuple[str, ...]  # case types no model could be fitted for
    judges: tuple[JudgeIndex, ...]
    flags: tuple[DecisionFlag, ...]
    decisions: Decisions = field(repr=False)
    scores: Scores = field(repr=False)
    courts: dict[str, str] = field(default_factory=dict, repr=False)  # judge -> court
    rounds: int = 1
    seconds: float = 0.0  # the whole run
    export_seconds: float = 0.0  # of which exporting the snapshot

    @property
    def flagged_judges(self) -> list[JudgeIndex]:
        return [j for j in self.judges if j.flagged]

    def to_dict(self) -> dict[str, Any]:
        return {
            "known_at": self.known_at.isoformat() if self.known_at else None,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "fdr": self.fdr,
            "min_cases": self.settings.min_cases,
            "model": self.settings.model,
            "folds": self.settings.folds,
            "rounds": self.rounds,
            "decisions": len(self.decisions),
            "scored": len(self.scores.index),
            "fits": [f.__dict__ for f in self.fits],
            "skipped": list(self.skipped),
            "judges": [{**j.__dict__, "court": self.courts.get(j.judge, "")} for j in self.judges],
            "flagged_judges": len(self.flagged_judges),
            "flags": [f.to_dict() for f in self.flags],
            "seconds": round(self.seconds, 3),
            "export_seconds": round(self.export_seconds, 3),
        }


def analyse(
    decisions: Decisions,
    settings: SupervisionSettings,
    *,
    known_at: dt.datetime | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> JudgesReport:
    """Fit, score and flag ``decisions`` under ``settings``."""
    started = time.perf_counter()
    judges_settings = settings.judges
    excluded: frozenset[str] = frozenset()
    rounds = 0
    while rounds < ROUNDS:
        rounds += 1
        fits, skipped = fit_all(decisions, judges_settings.model, judges_settings.folds, excluded)
        scores = score_decisions(fits, settings.fdr)
        indices = judge_indices(
            decisions.judge[scores.index], scores.score, settings.fdr, judges_settings.min_cases
        )
        flagged = frozenset(j.judge for j in indices if j.flagged)
        if flagged == excluded:
            break
        excluded = flagged
    flags = [
        DecisionFlag(
            decision=str(decisions.id[i]),
            judge=str(decisions.judge[i]),
            court=str(decisions.court[i]),
            provider=str(decisions.provider[i]),
            case_type=str(decisions.case_type[i]),
            decided_on=decisions.occurred[i],
            observed=float(scores.observed[k]),
            predicted=float(scores.predicted[k]),
            deviation_score=float(scores.score[k]),
            p_value=float(scores.p_value[k]),
            q_value=float(scores.q_value[k]),
        )
        for k, i in enumerate(scores.index)
        if scores.flagged[k]
    ]
    flags.sort(key=lambda f: (f.q_value, -abs(f.deviation_score), f.decision))
    fitted = tuple(
        CaseTypeFit(
            case_type=f.case_type,
            target=TARGETS.get(f.case_type, "share of the claim awarded"),
            decisions=len(f.index),
            judges=f.judges,
            folds=f.folds,
            residual_sd=float(np.std(f.residuals, ddof=1)) if len(f.index) > 1 else 0.0,
            r2=f.r2,
        )
        for f in fits
    )
    courts = {str(j): str(c) for j, c in zip(decisions.judge, decisions.court, strict=True)}
    return JudgesReport(
        known_at=known_at,
        since=since,
        until=until,
        settings=judges_settings,
        fdr=settings.fdr,
        fits=fitted,
        skipped=tuple(skipped),
        judges=tuple(indices),
        flags=tuple(flags),
        decisions=decisions,
        scores=scores,
        courts=courts,
        rounds=rounds,
        seconds=time.perf_counter() - started,
    )


def settings_at(store: Store, at: dt.datetime) -> SupervisionSettings:
    """The supervision settings of the packs active at ``at``."""
    return _policy(store, at)[0]


def _policy(store: Store, at: dt.datetime) -> tuple[SupervisionSettings, list[str]]:
    """The supervision settings and the conduct categories of the packs active at ``at``."""
    with store.reader() as conn:
        policy, _ = policy_at(conn, at)
    conduct = sorted(n for n, c in policy.catalogue.categories.items() if c.kind == "conduct")
    return effective(policy.packs), conduct


def supervise_judges(
    store: Store,
    *,
    known_at: dt.datetime | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> JudgesReport:
    """The judges' report on the ledger as known at ``known_at`` (default: now), over
    the decisions of ``since`` to ``until`` (default: all)."""
    started = time.perf_counter()
    at = known_at or store.clock.now()
    settings, conduct = _policy(store, at)
    with tempfile.TemporaryDirectory(prefix="judges-") as folder:
        snapshot = export_snapshot(store, folder, at, about=READ, tables=("records",))
        exported = time.perf_counter() - started
        decisions = read_decisions(snapshot, conduct, since or dt.date.min, until or dt.date.max)
    report = analyse(decisions, settings, known_at=at, since=since, until=until)
    return replace(report, seconds=time.perf_counter() - started, export_seconds=exported)


__all__ = [
    "CaseTypeFit",
    "DecisionFlag",
    "JudgesReport",
    "analyse",
    "settings_at",
    "supervise_judges",
]
