"""Appeals: once, within 10 days of the decision, decided within 15; the listing stays
in force during the appeal unless the second reviewer suspends it."""

from __future__ import annotations

import pytest

from socialcredit.enforcement.service import Enforcement
from socialcredit.remedies.appeals import decide_appeal, file_appeal, suspend_listing
from socialcredit.remedies.cases import cases
from socialcredit.remedies.errors import (
    AlreadyAppealed,
    DeadlinePassed,
    InvalidTransition,
    NotContestable,
)
from socialcredit.remedies.objections import (
    accept_objection,
    answer_objection,
    decide_objection,
    file_objection,
)
from socialcredit.remedies.steps import by_ref
from socialcredit.services.ingest import ingestor
from socialcredit.store.database import Store

from support.remedies import CASE_NO, DEBTOR, ingest, listed_debtor, move, outcome, rid

FLIGHT = "transport.air.ticket"


def decided(store: Store, record: str | None = None) -> str:
    """An objection filed on 2 March, upheld and decided on 5 March (appeal by Monday 16 March)."""
    target = record or listed_debtor(store)
    case = file_objection(
        ingestor(store), DEBTOR, record=target, grounds="wrong", evidence="x"
    ).case.id
    accept_objection(ingestor(store), case)
    answer_objection(ingestor(store), case, "upheld", "the debt is unpaid")
    move(store, "2026-03-05")
    decide_objection(ingestor(store), case, "upheld", "reviewer-1")
    return case


def check(enforcement: Enforcement, day: str | None = None) -> str:
    return outcome(enforcement, DEBTOR, FLIGHT, day)


def test_an_appeal_is_filed_once_within_ten_days(store: Store) -> None:
    target = listed_debtor(store)
    case = file_objection(
        ingestor(store), DEBTOR, record=target, grounds="wrong", evidence="x"
    ).case.id
    with pytest.raises(InvalidTransition):
        file_appeal(ingestor(store), case, "not decided yet")
    accept_objection(ingestor(store), case)
    answer_objection(ingestor(store), case, "upheld", "unpaid")
    move(store, "2026-03-05")
    decide_objection(ingestor(store), case, "upheld", "reviewer-1")
    move(store, "2026-03-15")  # the tenth day
    view = file_appeal(ingestor(store), case, "the court was wrong", "receipt")
    assert view.case.state == "appealed"
    assert view.case.date("remedy.appeal_filed", "decide_by").isoformat() == "2026-03-30"
    assert view.next is not None and view.next.who == "appeal-reviewer"
    with pytest.raises(AlreadyAppealed) as err:
        file_appeal(ingestor(store), case, "again")
    assert err.value.code == "already_appealed"


def test_an_appeal_after_ten_days_is_refused(store: Store) -> None:
    case = decided(store)  # decided on 5 March: 10 days end on Sunday 15, so Monday 16
    move(store, "2026-03-17")
    with pytest.raises(DeadlinePassed) as err:
        file_appeal(ingestor(store), case, "late")
    assert err.value.code == "deadline_passed" and "2026-03-16" in err.value.message
    assert cases(store) == []  # the appeal window closed: nothing left to do


def test_the_listing_stays_in_force_during_an_appeal_unless_suspended(
    store: Store, enforcement: Enforcement
) -> None:
    case = decided(store)
    with pytest.raises(InvalidTransition):
        suspend_listing(ingestor(store), case, "appeal-reviewer-1")  # no appeal yet
    file_appeal(ingestor(store), case, "wrong")
    assert check(enforcement) == "deny"
    move(store, "2026-03-06")
    view = suspend_listing(ingestor(store), case, "appeal-reviewer-1", "serious doubt")
    assert view.case.suspended and view.case.state == "appealed"
    assert check(enforcement) == "allow"
    assert check(enforcement, "2026-03-05") == "deny"  # the day before the suspension
    with pytest.raises(InvalidTransition):
        suspend_listing(ingestor(store), case, "appeal-reviewer-1")
    move(store, "2026-03-12")
    done = decide_appeal(
        ingestor(store), case, "upheld", "the listing was right", "appeal-reviewer-1"
    )
    assert done.case.state == "appeal_decided" and done.case.outcome == "upheld"
    assert check(enforcement) == "deny"
    with pytest.raises(InvalidTransition):
        decide_appeal(ingestor(store), case, "overturned", "again", "appeal-reviewer-1")
    with pytest.raises(AlreadyAppealed):
        file_appeal(ingestor(store), case, "once more")


def test_an_overturned_decision_withdraws_the_record(
    store: Store, enforcement: Enforcement
) -> None:
    case = decided(store)
    file_appeal(ingestor(store), case, "wrong")
    assert check(enforcement) == "deny"
    decide_appeal(
        ingestor(store), case, "overturned", "no basis for the listing", "appeal-reviewer-1"
    )
    assert check(enforcement) == "allow"
    with store.reader() as conn:
        withdrawal = by_ref(conn, "spc.national", f"{case}/withdrawal-appeal")
    assert withdrawal is not None and withdrawal.withdrawn
    assert withdrawal.supersedes == rid(CASE_NO)


def test_an_appeal_must_be_decided_within_fifteen_days(store: Store) -> None:
    case = decided(store)
    move(store, "2026-03-10")
    file_appeal(ingestor(store), case, "wrong")
    move(store, "2026-03-25")
    assert cases(store, overdue=True) == []
    move(store, "2026-03-26")
    [late] = cases(store, overdue=True)
    assert late.case.id == case and late.next is not None
    assert (late.next.action, late.next.who) == ("decide appeal", "appeal-reviewer")


def test_only_a_listing_can_be_suspended(store: Store) -> None:
    ingest(
        store,
        {
            "provider": "spc.national",
            "ref": "breach-1",
            "subject": DEBTOR,
            "category": "judicial.civil_breach",
            "occurred_at": "2026-01-10",
            "attributes": {"case_no": "breach-1", "contract": "loan"},
        },
    )
    case = decided(store, rid("breach-1"))
    file_appeal(ingestor(store), case, "wrong")
    with pytest.raises(NotContestable):
        suspend_listing(ingestor(store), case, "appeal-reviewer-1")
