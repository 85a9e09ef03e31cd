"""The batch and the incremental engine agree on records a hold quarantined: while held
neither counts them, once released both count them from the release, and a rejected one
never -- subject by subject, to the unit, at every time known, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pyarrow.parquet as pq
import pytest

from socialcredit.engine.batch import evaluate_batch, export_snapshot, read_snapshot
from socialcredit.engine.ledger_view import assess
from socialcredit.ledger.policy_store import active_policy
from socialcredit.services.holds import reject, release
from socialcredit.store.database import Store
from socialcredit.supervision.holds import held_records, list_holds

from support.batch import stored_assessments
from support.holds import SPIKE, flood, later, quiet_history

AT = dt.datetime(2026, 6, 1, 4)
FLOOD = dt.datetime(2026, 3, 2, 2)
RELEASED = dt.datetime(2026, 3, 4, 2)
KNOWN = {
    "before the flood": FLOOD - dt.timedelta(minutes=1),
    "while held": RELEASED - dt.timedelta(minutes=1),
    "after the decisions": RELEASED + dt.timedelta(minutes=1),
    "now": None,
}


def _decided(store: Store) -> tuple[list[str], list[str], list[str]]:
    """Quiet history, a flood put on hold; four records released, three rejected, the
    rest left held. Returns the subjects of each."""
    quiet_history(store)
    flood(store)
    with store.reader() as conn:
        (hold,) = list_holds(conn)
        held = held_records(conn, [hold.id])
    later(store, RELEASED.isoformat())
    release(store, hold.id, by="r", records=[r.id for r in held[:4]])
    reject(store, hold.id, by="r", reason="test data", records=[r.id for r in held[4:7]])
    later(store, AT.isoformat())
    return (
        [r.subject for r in held[:4]],
        [r.subject for r in held[4:7]],
        [r.subject for r in held[7:]],
    )


@pytest.mark.parametrize("known", list(KNOWN))
def test_both_engines_agree_on_held_released_and_rejected_records(store: Store, known: str) -> None:
    released, rejected, held = _decided(store)
    known_at = KNOWN[known]
    with store.reader() as conn:
        policy = active_policy(conn)
    evaluate_batch(store, policy, AT, known_at)
    batch = stored_assessments(store)
    incremental = {}
    for subject in {s for s, _ in batch}:
        found = assess(store, policy, subject, AT, known_at, explain=False)
        incremental.update({(subject, k): v.key() for k, v in found.schemes.items()})
    assert batch == incremental
    national = {s: batch.get((s, "national")) for s in released + rejected + held}
    if known == "before the flood":  # not yet subjects of the ledger
        assert set(national.values()) == {None}
        return
    base = national[held[0]]  # a subject with nothing counted
    assert base is not None and base[2] == base[2] // 10_000 * 10_000
    assert {national[s] for s in held + rejected} == {base}  # never counted
    counted = known in ("after the decisions", "now")
    assert (national[released[0]] != base) == counted


def test_the_snapshot_carries_a_released_record_from_its_release(
    store: Store, tmp_path: Any
) -> None:
    released, rejected, held = _decided(store)
    export_snapshot(store, tmp_path, AT)
    snap = read_snapshot(tmp_path)
    table = pq.read_table(snap.path("records")).to_pylist()
    cases = {r["subject"]: r for r in table if not r["withdrawn"] and r["subject"] in released}
    assert cases[released[0]]["recorded_at"] == RELEASED
    shown = {r["subject"] for r in table if not r["withdrawn"]}
    assert not {*rejected, *held} & shown  # the rejected show only as their withdrawals
    assert len(released) + len(rejected) + len(held) == SPIKE
