"""A hand-made risk scorecard made the active model, for the reports and pages that show
a subject's score: five features, each costing known points at one record or more."""

from __future__ import annotations

import datetime as dt

from socialcredit.store.database import Store
from socialcredit.supervision.risk import models
from socialcredit.supervision.risk.scorecard import Binned, Scorecard

# feature: points below the best bin at one record or more (the order of the reasons)
SHORTFALLS = {
    "judgments_unperformed": 40.0,
    "defaults_all": 30.0,
    "judicial_all": 20.0,
    "adverse_2y": 10.0,
    "adverse_all": 5.0,
}
BASE = 600.0  # a subject with no record at all
# the out-of-time evaluation kept with the card; its reference: a quarter of the scores
# below 550, three quarters at or above it
EVALUATION = {
    "cutoff": "2025-06-30", "subjects": 4, "defaults": 1, "auc": 0.75, "ks": 0.5,
    "baseline_auc": 0.7, "baseline_ks": 0.4, "lift_auc": 0.05,
    "calibration": [{"decile": 1, "subjects": 4, "predicted": 0.02, "observed": 0.25}],
    "reference": {"edges": [550.0], "shares": [0.25, 0.75]},
    "development": {"cutoff": "2024-06-30", "subjects": 4, "defaults": 1},
}  # fmt: skip


def card() -> Scorecard:
    features = tuple(
        Binned(name, (1.0,), (0.5, -0.5), (0.0, -short), (10, 10), (900, 100))
        for name, short in SHORTFALLS.items()
    )
    return Scorecard(features, BASE, 600, 50.0, 20.0)


def activate_card(store: Store) -> models.ModelVersion:
    """Keep the card as a candidate, dry-run it (by hand) and activate it."""
    model = models.save_candidate(store, card(), cutoff=dt.date(2024, 6, 30),
                                  known_at=store.clock.now(),
                                  evaluation=EVALUATION)  # fmt: skip
    models.record_dry_run(store, model.version, {"moved": 0, "hand_made": True})
    return models.activate(store, model.version, note="hand-made")
