"""A feed that floods is put on hold: its records are stored, quarantined, counted by no
engine and no check, until a reviewer releases them (they count from the release, with
the notice period from then) or rejects them (withdrawn, with the reason). On SQLite
and on PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from socialcredit.clock import day_of
from socialcredit.enforcement.service import Enforcement
from socialcredit.engine.ledger_view import assess
from socialcredit.errors import Malformed, NotFound
from socialcredit.ledger.policy_store import active_policy
from socialcredit.remedies.objections import accept_objection, answer_objection, file_objection
from socialcredit.remedies.steps import by_ref, get_record, head_of
from socialcredit.services.holds import reject, release
from socialcredit.services.ingest import ingestor
from socialcredit.store.database import Store
from socialcredit.store.tables import audit_log, feed_weeks, list_entries, records
from socialcredit.store.verify import verify
from socialcredit.supervision.errors import HoldClosed, NotHeld
from socialcredit.supervision.holds import held_records, list_holds

from support.holds import CATEGORY, PROVIDER, SPIKE, debtor, flood, later, quiet_history

AIR = "transport.air.ticket"


def _entries(store: Store, subject: str) -> list[str]:
    with store.reader() as conn:
        stmt = select(list_entries.c.list).where(list_entries.c.subject == subject)
        return sorted(conn.execute(stmt).scalars())


def test_a_quiet_feed_is_never_held(store: Store) -> None:
    subjects = quiet_history(store)
    with store.reader() as conn:
        assert list_holds(conn, everything=True) == []
    assert _entries(store, subjects[-1]) == ["court_defaulters"]


def test_a_flood_puts_the_feed_on_hold_and_its_records_count_nowhere(
    store: Store, enforcement: Enforcement
) -> None:
    quiet_history(store)
    flooded = flood(store)
    with store.reader() as conn:
        (hold,) = list_holds(conn)
        held = held_records(conn, [hold.id])
        week = conn.execute(
            select(feed_weeks.c.received, feed_weeks.c.held).where(
                feed_weeks.c.provider == PROVIDER,
                feed_weeks.c.category == CATEGORY,
                feed_weeks.c.week == dt.date(2026, 3, 2),
            )
        ).one()
        stored = conn.execute(
            select(records.c.subject).where(records.c.subject.in_(flooded))
        ).scalars()
        assert sorted(stored) == sorted(flooded)  # in the ledger
    assert (hold.provider, hold.category, hold.week) == (PROVIDER, CATEGORY, dt.date(2026, 3, 2))
    assert hold.signals == [{"signal": "volume", "value": SPIKE, "threshold": 9.07}]
    assert (hold.held, hold.released, hold.rejected) == (SPIKE, 0, 0)
    assert {r.subject for r in held} == set(flooded) and {r.state for r in held} == {"held"}
    assert (week.received, week.held) == (SPIKE, SPIKE)
    # no list entry, no score, no refusal: now or after the notice period would have run
    assert _entries(store, flooded[0]) == []
    with store.reader() as conn:
        policy = active_policy(conn)
    national = assess(store, policy, flooded[0]).schemes["national"]
    assert national.contributions == ()
    later(store, "2026-05-01T02:00:00")
    assert enforcement.check(flooded[0], AIR, requester="test").outcome == "allow"


def test_a_released_record_counts_from_its_release_with_the_full_notice(
    store: Store, enforcement: Enforcement
) -> None:
    quiet_history(store)
    flooded = flood(store)
    with store.reader() as conn:
        (hold,) = list_holds(conn)
    released_at = later(store, "2026-03-05T02:00:00")
    decision = release(store, hold.id, by="reviewer-1", reason="the court confirms the cases")
    assert decision.ended and decision.outcome == "released" and len(decision.records) == SPIKE
    assert _entries(store, flooded[0]) == ["court_defaulters"]
    # the 30 days of notice run from the release, not from the record's arrival
    later(store, "2026-04-03T02:00:00")
    assert enforcement.check(flooded[0], AIR, requester="test").outcome == "allow"
    later(store, "2026-04-05T02:00:00")
    assert enforcement.check(flooded[0], AIR, requester="test").outcome == "deny"
    # what was known before the release is what it was then
    before = enforcement.check(flooded[0], AIR, known_at=released_at - dt.timedelta(hours=1))
    assert before.outcome == "allow"
    with store.reader() as conn:
        assert list_holds(conn) == []
        (ended,) = list_holds(conn, everything=True)
        assert (ended.outcome, ended.ended_by, ended.released) == ("released", "reviewer-1", SPIKE)
        assert verify(conn).ok


def test_a_rejected_record_is_withdrawn_with_its_reason(
    store: Store, enforcement: Enforcement
) -> None:
    quiet_history(store)
    flooded = flood(store)
    with store.reader() as conn:
        (hold,) = list_holds(conn)
        first, second, *rest = held_records(conn, [hold.id])
    later(store, "2026-03-04T02:00:00")
    one = reject(store, hold.id, by="reviewer-1", reason="test data", records=[first.id])
    assert not one.ended and [r.id for r in one.records] == [first.id]
    with store.reader() as conn:
        (still,) = list_holds(conn)  # a decision on some records keeps the hold
        assert (still.held, still.rejected) == (SPIKE - 1, 1)
        head = head_of(conn, get_record(conn, first.id))
    assert head.withdrawn and head.legal_basis == f"rejected under hold {hold.id}: test data"
    whole = reject(store, hold.id, by="reviewer-2", reason="the feed sent its test system")
    assert whole.ended and len(whole.records) == SPIKE - 1
    later(store, "2026-06-01T02:00:00")
    for subject in flooded:
        assert _entries(store, subject) == []
    assert enforcement.check(second.subject, AIR, requester="test").outcome == "allow"
    with store.reader() as conn:
        events = conn.execute(select(audit_log.c.event)).scalars().all()
        assert verify(conn).ok
    assert events.count("hold.placed") == 1 and events.count("hold.record_held") == SPIKE
    assert events.count("hold.record_rejected") == SPIKE and events.count("hold.ended") == 1
    assert rest  # the others were rejected by the whole decision


def test_the_feed_is_free_after_the_hold_ends_and_not_held_again_that_week(store: Store) -> None:
    quiet_history(store)
    flood(store)
    with store.reader() as conn:
        (hold,) = list_holds(conn)
    release(store, hold.id, by="reviewer-1")
    more = flood(store, first=200, count=3)  # the same week: its signals were judged sound
    with store.reader() as conn:
        assert list_holds(conn) == []
    assert _entries(store, more[0]) == ["court_defaulters"]


def test_decisions_are_refused_clearly(store: Store) -> None:
    quiet_history(store)
    flood(store)
    with store.reader() as conn:
        (hold,) = list_holds(conn)
        first = held_records(conn, [hold.id])[0]
    with pytest.raises(NotFound) as missing:
        release(store, "HOLD-20260302-000000000000", by="r")
    assert missing.value.field == "hold"
    with pytest.raises(NotFound) as stranger:
        release(store, hold.id, by="r", records=["0" * 32])
    assert stranger.value.field == "records"
    with pytest.raises(Malformed) as reasonless:
        reject(store, hold.id, by="r", reason="  ")
    assert reasonless.value.field == "reason"
    release(store, hold.id, by="r", records=[first.id])
    with pytest.raises(NotHeld) as twice:
        reject(store, hold.id, by="r", reason="no", records=[first.id])
    assert twice.value.status == 409
    release(store, hold.id, by="r")
    with pytest.raises(HoldClosed) as closed:
        reject(store, hold.id, by="r", reason="too late")
    assert closed.value.code == "hold_closed" and closed.value.status == 409


def test_a_withdrawal_from_a_held_feed_is_never_held(store: Store) -> None:
    subjects = quiet_history(store)
    flood(store)
    withdrawal = {
        "provider": PROVIDER,
        "ref": "withdraw-1",
        "subject": subjects[0],
        "category": CATEGORY,
        "occurred_at": "2026-01-07",
        "supersedes": "(2026)鲁1082执1号",
        "withdrawn": True,
    }
    assert ingestor(store).ingest_dicts([withdrawal]).accepted == 1
    assert _entries(store, subjects[0]) == []
    assert day_of(store.clock.now()) == dt.date(2026, 3, 2)
    assert debtor(1) == subjects[0]


def test_a_correction_an_objection_carries_out_is_never_held(store: Store) -> None:
    subjects = quiet_history(store)
    flood(store)  # the court's feed is on hold from now on
    with store.reader() as conn:
        target = by_ref(conn, PROVIDER, "(2026)鲁1082执1号")
    assert target is not None
    ledger = ingestor(store)
    case = file_objection(ledger, subjects[0], record=target.id, grounds="wrong", evidence="paid")
    accept_objection(ledger, case.case.id)
    fixed = {
        "attributes": {"case_no": "(2026)鲁1082执1号", "amount": 1, "ground": "evades_enforcement"}
    }
    answer_objection(ledger, case.case.id, "corrected", "amount was wrong", correction=fixed)
    with store.reader() as conn:
        (hold,) = list_holds(conn)
        held = {r.subject for r in held_records(conn, [hold.id])}
    assert subjects[0] not in held and hold.held == SPIKE
