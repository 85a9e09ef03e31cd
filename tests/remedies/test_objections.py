"""Objections on a real store: filing, the state machine, every refusal, outcomes that
re-evaluate the subject at once, and suspension when the provider does not answer."""

from __future__ import annotations

import re

import pytest

from socialcredit.enforcement.service import Enforcement
from socialcredit.errors import NotFound, SocialCreditError
from socialcredit.remedies.cases import cases, show
from socialcredit.remedies.errors import (
    AlreadyOpen,
    InvalidTransition,
    MissingRequirement,
    NotContestable,
    WrongParty,
)
from socialcredit.remedies.objections import (
    accept_objection,
    answer_objection,
    decide_objection,
    file_objection,
)
from socialcredit.services.assess import assess
from socialcredit.services.ingest import ingestor
from socialcredit.store.database import Store

from support.remedies import CASE_NO, DEBTOR, OTHER, at, ingest, listed_debtor, move, outcome, rid

FLIGHT = "transport.air.ticket"


def objection(store: Store, record: str, subject: str = DEBTOR) -> str:
    return file_objection(
        ingestor(store), subject, record=record, grounds="wrong", evidence="paid"
    ).case.id


def check(enforcement: Enforcement, day: str | None = None) -> str:
    return outcome(enforcement, DEBTOR, FLIGHT, day)


def test_filing_stores_the_deadlines_and_traces_the_provider(store: Store) -> None:
    target = listed_debtor(store)
    view = file_objection(
        ingestor(store), DEBTOR, record=target, grounds="wrong", evidence="paid in full"
    )
    case = view.to_dict()
    assert re.fullmatch(r"OBJ-20260302-[0-9a-f]{12}", case["case"]) and case["state"] == "filed"
    assert case["provider"] == "spc.national" and case["target"] == target
    filing = case["steps"][0]["attributes"]
    # Monday 2 March: +2 working days, +2+10 working days, then 15 days after the answer
    assert filing["accept_by"] == "2026-03-04"
    assert filing["answer_by"] == "2026-03-18"
    assert filing["review_by"] == "2026-04-02"
    assert case["next"] == {
        "action": "accept",
        "who": "reviewer",
        "deadline": "2026-03-04",
        "optional": False,
        "overdue": False,
    }
    # a list entry stands for its ground record (already contested here)
    entry = f"court_defaulters:{DEBTOR}:{CASE_NO}"
    with pytest.raises(AlreadyOpen):
        file_objection(ingestor(store), DEBTOR, entry=entry, grounds="outdated", evidence="x")
    # ids carry the day and a random part, never a count of the day's cases
    other = listed_debtor(store, subject=OTHER)
    second = file_objection(
        ingestor(store), OTHER, record=other, grounds="duplicated", evidence="x"
    )
    assert second.case.id.startswith("OBJ-20260302-") and second.case.id != case["case"]


def test_a_deadline_over_the_spring_festival_counts_working_days(store: Store) -> None:
    move(store, "2026-02-13")  # Friday before the holiday
    target = listed_debtor(store)
    view = file_objection(ingestor(store), DEBTOR, record=target, grounds="wrong", evidence="x")
    filing = view.case.filing.attributes
    assert view.case.id.startswith("OBJ-20260213-")
    assert filing["accept_by"] == "2026-02-24"  # Sat 14 (make-up) and Tue 24
    assert filing["answer_by"] == "2026-03-09"
    assert filing["review_by"] == "2026-03-24"  # the review runs on the answer: after it


def test_every_transition_and_every_refusal(store: Store) -> None:
    target = listed_debtor(store)
    case = objection(store, target)
    with pytest.raises(InvalidTransition) as err:
        answer_objection(ingestor(store), case, "upheld", "right", provider="spc.national")
    assert err.value.code == "invalid_transition" and "accepted" in err.value.message
    with pytest.raises(InvalidTransition):
        decide_objection(ingestor(store), case, "r", "reviewer-1")
    assert accept_objection(ingestor(store), case).case.state == "accepted"
    with pytest.raises(InvalidTransition):
        accept_objection(ingestor(store), case)
    with pytest.raises(WrongParty) as wrong:
        answer_objection(ingestor(store), case, "upheld", "right", provider="sat.national")
    assert wrong.value.code == "forbidden"
    with pytest.raises(AlreadyOpen) as again:
        objection(store, target)
    assert again.value.code == "already_open"
    answered = answer_objection(ingestor(store), case, "upheld", "the record is right")
    assert answered.case.state == "answered"
    with pytest.raises(InvalidTransition):
        answer_objection(ingestor(store), case, "withdrawn", "changed my mind")
    move(store, "2026-03-05")
    decided = decide_objection(ingestor(store), case, "upheld after review", "reviewer-1").case
    assert decided.state == "decided" and decided.outcome == "upheld"
    # 10 days end on Sunday 15 March: the period ends on the next working day
    assert decided.date("remedy.objection_decided", "appeal_by").isoformat() == "2026-03-16"
    with pytest.raises(InvalidTransition):
        decide_objection(ingestor(store), case, "again", "reviewer-1")
    # a decided objection is closed for new filings' purposes: a new one may be filed
    assert objection(store, target).startswith("OBJ-20260305-")


def test_what_cannot_be_contested(store: Store) -> None:
    target = listed_debtor(store)
    case = objection(store, target)
    filing = show(store, case).case.filing.record
    with pytest.raises(NotContestable) as err:
        objection(store, filing)
    assert err.value.code == "not_contestable"
    with pytest.raises(NotFound):
        objection(store, target, subject=OTHER)  # not a record about OTHER
    with pytest.raises(NotFound):
        objection(store, "0" * 32)
    with pytest.raises(NotFound) as missing:
        show(store, "OBJ-20990101-0123456789ab")
    assert missing.value.code == "not_found"
    with pytest.raises(SocialCreditError) as both:
        file_objection(ingestor(store), DEBTOR, grounds="wrong", evidence="x")
    assert both.value.code == "malformed"
    accept_objection(ingestor(store), case)
    answer_objection(ingestor(store), case, "withdrawn", "reported in error")
    with pytest.raises(NotContestable):
        objection(store, target)  # already withdrawn


def test_an_unanswered_objection_suspends_the_listing_until_the_answer(
    store: Store, enforcement: Enforcement
) -> None:
    target = listed_debtor(store)
    assert check(enforcement) == "deny"
    case = objection(store, target)
    accept_objection(ingestor(store), case)
    move(store, "2026-03-18")  # answer_by: still in force
    assert check(enforcement) == "deny"
    move(store, "2026-03-19")  # the provider did not answer in time
    assert check(enforcement) == "allow"
    state = assess(store, DEBTOR)
    [entry] = [e for e in state["lists"] if e["list"] == "court_defaulters"]
    assert entry["status"] == "suspended"
    assert entry["suspensions"] == [
        {"start": "2026-03-19", "until": None, "case": case, "reason": "objection"}
    ]
    assert {(e["reason"], e["end"]) for e in state["expired"]} == {("suspended", "2026-03-19")}
    assert state["contributions"] == []
    # due on the 18th: the case shows the provider overdue
    [late] = cases(store, overdue=True)
    assert late.next is not None and late.next.who == "provider:spc.national"
    move(store, "2026-03-20")
    answer_objection(ingestor(store), case, "upheld", "the debt is unpaid", provider="spc.national")
    assert check(enforcement) == "deny"
    # what was decided on 19 March, with what was known then, stays an allow
    then = enforcement.check(DEBTOR, FLIGHT, at("2026-03-19"), known_at=at("2026-03-19"))
    assert then.outcome == "allow"


def test_a_corrected_outcome_takes_effect_at_once(store: Store, enforcement: Enforcement) -> None:
    target = listed_debtor(store)
    assert check(enforcement) == "deny"
    case = objection(store, target)
    accept_objection(ingestor(store), case)
    with pytest.raises(MissingRequirement):
        answer_objection(ingestor(store), case, "corrected", "wrong date")
    # the default was on 20 February: 30 days' notice, pending until 22 March
    fixed = {
        "occurred_at": "2026-02-20",
        "attributes": {"case_no": CASE_NO, "amount": 8e4, "ground": "evades_enforcement"},
    }
    view = answer_objection(ingestor(store), case, "corrected", "wrong date", correction=fixed)
    correction = view.case.attr("remedy.provider_answered", "correction")
    assert correction == rid(f"{case}/correction")
    assert check(enforcement) == "allow"
    state = assess(store, DEBTOR)
    [entry] = [e for e in state["lists"] if e["list"] == "court_defaulters"]
    assert entry["status"] == "pending" and entry["ground_record"] == correction
    assert check(enforcement, "2026-03-23") == "deny"


def test_a_withdrawn_outcome_takes_effect_at_once(store: Store, enforcement: Enforcement) -> None:
    target = listed_debtor(store)
    case = objection(store, target)
    accept_objection(ingestor(store), case)
    answer_objection(
        ingestor(store), case, "withdrawn", "reported in error", provider="spc.national"
    )
    assert check(enforcement) == "allow"
    state = assess(store, DEBTOR)
    assert state["lists"] == [] and state["contributions"] == []
    decided = decide_objection(ingestor(store), case, "withdrawn by the court", "reviewer-1").case
    assert decided.outcome == "withdrawn"


def test_a_correction_already_made_answers_corrected(store: Store) -> None:
    target = listed_debtor(store)
    case = objection(store, target)
    accept_objection(ingestor(store), case)
    ingest(
        store,
        {
            "provider": "spc.national",
            "ref": f"{CASE_NO}-fix",
            "subject": DEBTOR,
            "category": "judicial.judgment_default",
            "occurred_at": "2026-01-05",
            "supersedes": CASE_NO,
            "attributes": {"case_no": CASE_NO, "amount": 1e4, "ground": "evades_enforcement"},
        },
    )
    view = answer_objection(ingestor(store), case, "corrected", "amount corrected")
    assert view.case.attr("remedy.provider_answered", "correction") == rid(f"{CASE_NO}-fix")


def test_the_reviewer_may_order_a_withdrawal_but_not_uphold_a_withdrawn_record(
    store: Store, enforcement: Enforcement
) -> None:
    target = listed_debtor(store)
    case = objection(store, target)
    accept_objection(ingestor(store), case)
    answer_objection(ingestor(store), case, "upheld", "it stands")
    assert check(enforcement) == "deny"
    decided = decide_objection(ingestor(store), case, "no basis", "reviewer-1", outcome="withdrawn")
    assert decided.case.outcome == "withdrawn"
    assert check(enforcement) == "allow"

    other = listed_debtor(store, subject=OTHER)
    case = objection(store, other, subject=OTHER)
    accept_objection(ingestor(store), case)
    answer_objection(ingestor(store), case, "withdrawn", "error")
    with pytest.raises(InvalidTransition):
        decide_objection(ingestor(store), case, "stands", "reviewer-1", outcome="upheld")


def test_open_cases_name_the_next_step_who_takes_it_and_by_when(store: Store) -> None:
    first = objection(store, listed_debtor(store))
    second = objection(store, listed_debtor(store, subject=OTHER), subject=OTHER)
    accept_objection(ingestor(store), second)
    found = {v.case.id: v.next for v in cases(store)}
    assert found[first] is not None and found[first].who == "reviewer"
    assert found[second] is not None and found[second].who == "provider:spc.national"
    assert cases(store, overdue=True) == []
    move(store, "2026-03-05")
    assert [v.case.id for v in cases(store, overdue=True)] == [first]
    assert [v.case.id for v in cases(store, who="provider:spc.national")] == [second]
