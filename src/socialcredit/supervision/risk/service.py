"""Training, evaluating, monitoring and applying the risk scorecard on the ledger.

Training is out of time: the card is fitted on the features known at one cut-off and
the defaults of the horizon after it, and evaluated on the next cut-off (features known
then, defaults after), against the naive baseline (adverse records in the last two
years). The report adds the population stability index of each month's scores against
the out-of-time sample's; past the pack's threshold a candidate is retrained on recent
data and dry-run. The score informs a review and is shown to the subject: nothing here
writes a record, a list entry or a measure.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np

from socialcredit.clock import day_of, naive_utc
from socialcredit.engine.batch.snapshot import Snapshot, export_snapshot
from socialcredit.errors import NotFound
from socialcredit.ledger.policy_store import policy_at
from socialcredit.policy.risk import RiskSettings
from socialcredit.policy.supervision import effective
from socialcredit.store.database import Store
from socialcredit.supervision.risk import metrics as m
from socialcredit.supervision.risk.features import Categories, Frame, read_frame
from socialcredit.supervision.risk.models import (
    ModelVersion,
    active,
    get,
    record_dry_run,
    require_active,
    save_candidate,
)
from socialcredit.supervision.risk.scorecard import Scorecard, fit

BANDS = ((0.01, "low"), (0.05, "medium"), (1.01, "high"))  # by probability of default


def band(probability: float) -> str:
    return next(name for bound, name in BANDS if probability < bound)


def _policy(store: Store, at: dt.datetime) -> tuple[RiskSettings, Categories]:
    with store.reader() as conn:
        policy, _ = policy_at(conn, at)
    return effective(policy.packs).risk, Categories.of(policy.catalogue.categories)


@contextmanager
def _snapshot(store: Store, at: dt.datetime, about: list[str] | None = None) -> Iterator[Snapshot]:
    with tempfile.TemporaryDirectory(prefix="risk-") as folder:
        yield export_snapshot(store, folder, naive_utc(at), about=about)


def evaluate(card: Scorecard, frame: Frame) -> dict[str, Any]:
    """How the card ranks ``frame``'s subjects against the baseline, with the reference
    distribution of its scores that the PSI compares later months with."""
    score = card.score(frame.x)
    prob = card.probability(score)
    target = frame.defaulted
    edges = m.decile_edges(score)
    model_auc, base_auc = m.auc(-score, target), m.auc(frame.baseline, target)
    return {
        "cutoff": frame.cutoff.isoformat(),
        "subjects": len(frame),
        "defaults": int(target.sum()),
        "auc": model_auc,
        "ks": m.ks(-score, target),
        "baseline_auc": base_auc,
        "baseline_ks": m.ks(frame.baseline, target),
        "lift_auc": model_auc - base_auc,
        "calibration": [vars(d) for d in m.calibration(prob, target)],
        "reference": {"edges": edges.tolist(), "shares": m.shares(score, edges).tolist()},
    }


def train(
    store: Store,
    *,
    known_at: dt.datetime | None = None,
    cutoff: dt.date | None = None,
    parent: int | None = None,
) -> ModelVersion:
    """Train a candidate on the ledger as known at ``known_at`` (default now): fitted at
    ``cutoff`` (default: two horizons back), evaluated one horizon later."""
    at = known_at or store.clock.now()
    settings, categories = _policy(store, at)
    horizon = dt.timedelta(days=settings.horizon_days)
    fit_at = cutoff or day_of(at) - 2 * horizon
    test_at = fit_at + horizon
    if test_at + horizon > day_of(at):
        raise NotFound(
            f"a cut-off of {fit_at} leaves no full horizon to evaluate on before {day_of(at)}",
            field="cutoff",
        )
    with _snapshot(store, at) as snap:
        development = read_frame(snap, fit_at, categories, settings)
        out_of_time = read_frame(snap, test_at, categories, settings)
    if development.defaulted.sum() < 2 or out_of_time.defaulted.sum() < 1:
        raise NotFound(f"too few serious defaults after {fit_at} to train on", field="cutoff")
    card = fit(development.x, development.defaulted, settings)
    evaluation = evaluate(card, out_of_time)
    evaluation["development"] = {"cutoff": fit_at.isoformat(), "subjects": len(development),
                                 "defaults": int(development.defaulted.sum())}  # fmt: skip
    return save_candidate(store, card, cutoff=fit_at, known_at=at, evaluation=evaluation,
                          parent=parent)  # fmt: skip


def month_ends(day: dt.date, months: int) -> list[dt.date]:
    """The last ``months`` month ends on or before ``day``, oldest first."""
    out, d = [], day.replace(day=1) - dt.timedelta(days=1)
    for _ in range(months):
        out.append(d)
        d = d.replace(day=1) - dt.timedelta(days=1)
    return out[::-1]


def stability(store: Store, model: ModelVersion, *, months: int = 6,
              known_at: dt.datetime | None = None) -> list[dict[str, Any]]:  # fmt: skip
    """Each month end's PSI of the model's scores against its reference, and against the
    month before."""
    at = known_at or store.clock.now()
    settings, categories = _policy(store, at)
    ref = model.evaluation["reference"]
    edges, expected = np.asarray(ref["edges"]), np.asarray(ref["shares"])
    rows: list[dict[str, Any]] = []
    previous: np.ndarray[Any, np.dtype[np.float64]] | None = None
    with _snapshot(store, at) as snap:
        for end in month_ends(day_of(at), months):
            score = model.card.score(read_frame(snap, end, categories, settings).x)
            now = m.shares(score, edges)
            rows.append({
                "month": end.strftime("%Y-%m"),
                "subjects": len(score),
                "mean_score": float(score.mean()) if len(score) else float("nan"),
                "psi": m.psi_of_shares(expected, now),
                "psi_month": None if previous is None else m.psi_of_shares(previous, now),
            })  # fmt: skip
            previous = now
    return rows


def report(store: Store, *, months: int = 6, known_at: dt.datetime | None = None) -> dict[str, Any]:
    """The active model's report: its out-of-time evaluation and the PSI month by month."""
    model = require_active(store)
    at = known_at or store.clock.now()
    settings, _ = _policy(store, at)
    rows = stability(store, model, months=months, known_at=at)
    latest = rows[-1]["psi"] if rows else 0.0
    return {
        "model": model.summary(),
        "evaluation": {k: v for k, v in model.evaluation.items() if k != "reference"},
        "stability": rows,
        "psi_threshold": settings.psi_threshold,
        "retrain_due": bool(latest > settings.psi_threshold),
        "card": model.card.to_dict(),
    }


@dataclass(frozen=True)
class SubjectScore:
    subject: str
    version: int
    score: int
    probability: float
    band: str
    as_of: dt.date
    reasons: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return {"subject": self.subject, "model_version": self.version, "score": self.score,
                "probability": round(self.probability, 6), "band": self.band,
                "as_of": self.as_of.isoformat(), "reasons": self.reasons,
                "use": "informs a review; no list entry or measure follows from it"}  # fmt: skip


def score_subject(store: Store, subject: str, *, known_at: dt.datetime | None = None,
                  model: ModelVersion | None = None) -> SubjectScore:  # fmt: skip
    """One subject's score under the active model (or ``model``), with its reasons."""
    at = known_at or store.clock.now()
    card_model = model or require_active(store)
    settings, categories = _policy(store, at)
    with _snapshot(store, at, about=[subject]) as snap:
        frame = read_frame(snap, day_of(at), categories, settings)
    if len(frame) == 0:
        raise NotFound(f"{subject} is no registered person or enterprise", field="subject")
    card = card_model.card
    score = card.score(frame.x)
    prob = float(card.probability(score)[0])
    reasons = [{"feature": r.feature, "points": round(r.shortfall, 1), "en": r.en, "zh": r.zh}
               for r in card.reasons(frame.x[0], settings.reasons)]  # fmt: skip
    return SubjectScore(subject, card_model.version, round(float(score[0])), prob, band(prob),
                        day_of(at), reasons)  # fmt: skip


def shown_score(store: Store, subject: str, *,
                known_at: dt.datetime | None = None) -> SubjectScore | None:  # fmt: skip
    """What a subject's report shows: its score under the active model with the reasons,
    or None when no model is active or the card scores no such subject (an institution,
    say, or one the registry does not hold)."""
    model = active(store)
    if model is None:
        return None
    try:
        return score_subject(store, subject, known_at=known_at, model=model)
    except NotFound:
        return None


def dry_run(store: Store, version: int, *, known_at: dt.datetime | None = None,
            top: int = 10) -> ModelVersion:  # fmt: skip
    """Score today's population under the candidate and the active model (if any): who
    would change band, and by how many points; kept with the candidate."""
    at = known_at or store.clock.now()
    candidate = get(store, version)
    current = active(store)
    settings, categories = _policy(store, at)
    with _snapshot(store, at) as snap:
        frame = read_frame(snap, day_of(at), categories, settings)
    new = candidate.card.score(frame.x)
    new_band = [band(p) for p in candidate.card.probability(new)]
    result: dict[str, Any] = {"as_of": day_of(at).isoformat(), "subjects": len(frame),
                              "against": current.version if current else None}  # fmt: skip
    if current is None:
        counts = {b: new_band.count(b) for _, b in BANDS}
        result.update(bands=counts, moved=len(frame), moves={}, top=[])
    else:
        old = current.card.score(frame.x)
        old_band = [band(p) for p in current.card.probability(old)]
        delta = new - old
        moves: dict[str, int] = {}
        for a, b in zip(old_band, new_band, strict=True):
            if a != b:
                moves[f"{a}->{b}"] = moves.get(f"{a}->{b}", 0) + 1
        order = np.argsort(-np.abs(delta))[:top]
        result.update(
            moved=sum(moves.values()), moves=moves,
            mean_abs_points=float(np.abs(delta).mean()) if len(delta) else 0.0,
            over_pdo=int((np.abs(delta) >= settings.pdo).sum()),
            top=[{"subject": str(frame.subject[i]), "from": round(float(old[i])),
                  "to": round(float(new[i])), "from_band": old_band[i], "to_band": new_band[i]}
                 for i in order],
        )  # fmt: skip
    return record_dry_run(store, version, result)


def retrain(store: Store, *, force: bool = False,
            known_at: dt.datetime | None = None) -> tuple[float, ModelVersion | None]:  # fmt: skip
    """The latest month's PSI of the active model; past the pack's threshold (or with
    ``force``) a candidate retrained on recent data, dry-run against the active one."""
    at = known_at or store.clock.now()
    model = require_active(store)
    settings, _ = _policy(store, at)
    rows = stability(store, model, months=1, known_at=at)
    psi = rows[-1]["psi"] if rows else 0.0
    if psi <= settings.psi_threshold and not force:
        return psi, None
    candidate = train(store, known_at=at, parent=model.version)
    return psi, dry_run(store, candidate.version, known_at=at)


__all__ = [
    "BANDS",
    "SubjectScore",
    "band",
    "dry_run",
    "evaluate",
    "month_ends",
    "report",
    "retrain",
    "score_subject",
    "shown_score",
    "stability",
    "train",
]
