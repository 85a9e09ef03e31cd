"""The batch and the incremental engine agree on any quarantine: Hypothesis puts the
records of a small ledger on hold at random -- held, or released at a random time, a
correction's or a withdrawal's target or the correction itself -- and evaluates at a
random time known; both engines must give every subject the same assessment, to the
unit, and the one the rule gives when written out in plain Python over the raw ledger."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from socialcredit.clock import FixedClock
from socialcredit.engine.batch import evaluate_batch
from socialcredit.engine.incremental import evaluate_subject
from socialcredit.engine.ledger_view import assess, ledger_record
from socialcredit.engine.model import SubjectRef
from socialcredit.ledger.bootstrap import init_store
from socialcredit.ledger.policy_store import active_policy
from socialcredit.ledger.registry import register_providers
from socialcredit.policy.pack import default_packs
from socialcredit.policy.policy_set import PolicySet
from socialcredit.settings import Settings
from socialcredit.store.bulk import db_datetime, insert_rows
from socialcredit.store.database import Store
from socialcredit.store.tables import quarantine, records

from support.batch import stored_assessments
from support.factories import ingest_on
from support.holds import case, debtor

AT = dt.datetime(2026, 3, 1, 4)
FIRST = dt.datetime(2026, 1, 5, 2)
RAW = (  # a record as stored, before any quarantine
    records.c.seq,
    records.c.id,
    records.c.provider,
    records.c.subject,
    records.c.category,
    records.c.occurred_at,
    records.c.recorded_at,
    records.c.attributes,
    records.c.supersedes,
    records.c.withdrawn,
    records.c.ref,
    records.c.legal_basis,
)


def _traffic(n: int, subject: str, day: str) -> dict[str, Any]:
    return {
        "provider": "traffic_police.test",
        "ref": f"T{n}",
        "subject": subject,
        "category": "transport.traffic_violation",
        "occurred_at": day,
        "attributes": {"ticket_no": f"T{n}", "offence": "speeding", "penalty_points": 3},
    }


@pytest.fixture(scope="module")
def ledger(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Store, PolicySet, list[str]]]:
    """Six subjects with judgment defaults and traffic violations recorded over two
    months, a correction and a withdrawal among them; returns the record ids."""
    url = f"sqlite:///{tmp_path_factory.mktemp('q') / 'store.db'}"
    store = Store(url, clock=FixedClock(AT))
    init_store(store, Settings(db=url))
    police = {
        "id": "traffic_police.test",
        "kind": "traffic_police",
        "name": "交警",
        "jurisdiction": "national",
    }
    register_providers(store, [police], default_packs())
    for i in range(6):
        day = (FIRST + dt.timedelta(days=7 * i)).date().isoformat()
        ingest_on(store, day, case(i + 1, debtor(i + 1), day), _traffic(i + 1, debtor(i + 1), day))
    fixed = {
        **case(1, debtor(1), "2026-01-05", amount=10),
        "ref": "fix-1",
        "supersedes": "(2026)鲁1082执1号",
    }
    gone = {
        **case(2, debtor(2), "2026-01-12"),
        "ref": "gone-2",
        "supersedes": "(2026)鲁1082执2号",
        "withdrawn": True,
    }
    ingest_on(store, "2026-02-20", fixed, gone)
    with store.reader() as conn:
        policy = active_policy(conn)
        ids = list(conn.execute(select(records.c.id).order_by(records.c.seq)).scalars())
    yield store, policy, ids
    store.close()


def _quarantine(store: Store, states: dict[str, int | None]) -> None:
    """Hold the records named, each released that many days after 2026-01-05 (None:
    still held)."""
    with store.writer() as conn:
        conn.execute(delete(quarantine))
        rows = conn.execute(
            select(records.c.id, records.c.subject, records.c.recorded_at).where(
                records.c.id.in_(list(states))
            )
        ).all()
        insert_rows(
            conn,
            "quarantine",
            ("record", "hold", "subject", "held_at", "released_at"),
            [
                (
                    r.id,
                    "HOLD-test",
                    r.subject,
                    db_datetime(conn, r.recorded_at),
                    None
                    if states[r.id] is None
                    else db_datetime(
                        conn, max(r.recorded_at, FIRST + dt.timedelta(days=states[r.id]))
                    ),  # type: ignore[operator]
                )
                for r in rows
                for days in (states[r.id],)
            ],
        )


def _released(recorded_at: dt.datetime, days: int) -> dt.datetime:
    """A release ``days`` after 5 January, never before the record arrived."""
    return max(recorded_at, FIRST + dt.timedelta(days=days))


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_both_engines_agree_whatever_is_held(
    ledger: tuple[Store, PolicySet, list[str]], data: st.DataObject
) -> None:
    store, policy, ids = ledger
    chosen = data.draw(st.lists(st.sampled_from(ids), unique=True, max_size=len(ids)))
    states = {rid: data.draw(st.one_of(st.none(), st.integers(0, 70))) for rid in chosen}
    known_at = FIRST + dt.timedelta(days=data.draw(st.integers(0, 60)), hours=1)
    _quarantine(store, states)
    evaluate_batch(store, policy, AT, known_at)
    batch = stored_assessments(store)
    incremental = {}
    for subject in {s for s, _ in batch}:
        found = assess(store, policy, subject, AT, known_at, explain=False)
        incremental.update({(subject, k): v.key() for k, v in found.schemes.items()})
    assert batch == incremental
    subjects = {s for s, _ in batch}
    assert incremental == _oracle(store, policy, states, known_at, subjects)


def _oracle(
    store: Store,
    policy: PolicySet,
    states: dict[str, int | None],
    known_at: dt.datetime,
    subjects: set[str],
) -> dict[tuple[str, str], tuple[Any, ...]]:
    """What the rule says, in plain Python over the raw ledger: a held record is not
    known until its release, and is known from then as if recorded then."""
    with store.reader() as conn:
        raw = [
            ledger_record(r._mapping) for r in conn.execute(select(*RAW).order_by(records.c.seq))
        ]
    seen = []
    for r in raw:
        if r.id in states:
            days = states[r.id]
            if days is None:
                continue
            r = dataclasses.replace(r, recorded_at=_released(r.recorded_at, days))
        seen.append(r)
    out = {}
    for subject in sorted(subjects):
        own = [r for r in seen if r.subject == subject]
        found = evaluate_subject(
            policy, SubjectRef(subject, "person"), own, AT, known_at, [], False
        )
        out.update({(subject, k): v.key() for k, v in found.schemes.items()})
    return out
