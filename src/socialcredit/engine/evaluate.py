"""An evaluation run of the policy in force, and what it publishes."""

from __future__ import annotations

import datetime as dt

from socialcredit.enforcement.cache import notify
from socialcredit.enforcement.publish import publish_grade_lists
from socialcredit.engine.batch.run import BatchResult, Progress, evaluate_batch
from socialcredit.engine.incremental import day_of
from socialcredit.ledger.policy_store import policy_at
from socialcredit.ledger.store import Store


def evaluate_now(
    store: Store,
    at: dt.datetime | None = None,
    known_at: dt.datetime | None = None,
    *,
    engine: str = "duckdb",
    progress: Progress | None = None,
) -> tuple[BatchResult, dict[str, int]]:
    """Evaluate every subject under the packs active at ``at`` (default now). An
    evaluation of the present publishes the grade-based lists; one of another time
    only writes the assessments."""
    present = at is None and known_at is None
    when = store.clock.now() if at is None else at
    with store.reader() as conn:
        policy, _note = policy_at(conn, when)
    result = evaluate_batch(store, policy, when, known_at, engine, progress)
    published: dict[str, int] = {}
    if present:
        with store.writer() as conn:
            published = publish_grade_lists(conn, policy, day_of(when))
        notify(store.url)
    return result, published
