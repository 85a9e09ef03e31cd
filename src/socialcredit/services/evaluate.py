"""An evaluation run of the policy in force, and what it publishes.

An evaluation of the present rates every subject (the batch engine), publishes
the grade-based lists from the new grades, and re-derives every subject's
record-based list entries and the enforcement index
(:mod:`socialcredit.services.rederive`), with the notices ingestion would
give. An evaluation of another time only writes the assessments.
"""

from __future__ import annotations

import datetime as dt

from socialcredit.clock import day_of
from socialcredit.enforcement.cache import notify
from socialcredit.enforcement.publish import publish_grade_lists
from socialcredit.engine.batch.run import BatchResult, Progress, evaluate_batch
from socialcredit.ledger.policy_store import policy_at
from socialcredit.services.rederive import Rederived, rederive
from socialcredit.store.database import Store


def evaluate_now(
    store: Store,
    at: dt.datetime | None = None,
    known_at: dt.datetime | None = None,
    *,
    engine: str = "duckdb",
    progress: Progress | None = None,
) -> tuple[BatchResult, dict[str, int], Rederived | None]:
    """Evaluate every subject under the packs active at ``at`` (default now). An
    evaluation of the present publishes the grade-based lists and re-derives the
    record-based entries (returned second and third); one of another time only
    writes the assessments."""
    present = at is None and known_at is None
    when = store.clock.now() if at is None else at
    with store.reader() as conn:
        policy, _note = policy_at(conn, when)
    result = evaluate_batch(store, policy, when, known_at, engine, progress)
    published: dict[str, int] = {}
    rederived: Rederived | None = None
    if present:
        with store.writer() as conn:
            published = publish_grade_lists(conn, policy, day_of(when))
        rederived = rederive(store, policy, when, progress)
        notify(store.url)
    return result, published, rederived
