"""Credit repair: accepted (the entry ends, the record stops counting, the next check
allows), refused, and every refusal; the maximum period ends an effect with no case."""

from __future__ import annotations

import re

import pytest

from socialcredit.enforcement.service import Enforcement
from socialcredit.remedies.errors import (
    AlreadyOpen,
    InvalidTransition,
    MissingRequirement,
    NotRepairable,
    TooEarly,
)
from socialcredit.remedies.repair import Showing, apply_repair, decide_repair
from socialcredit.services.assess import assess
from socialcredit.services.ingest import ingestor
from socialcredit.store.database import Store

from support.factories import ingest_on
from support.remedies import (
    CASE_NO,
    DEBTOR,
    FIRM,
    at,
    dishonest,
    ingest,
    listed_debtor,
    move,
    outcome,
    penalty,
    rid,
)

BID = "procurement.bid"
LIST = "serious_illegal_dishonest_enterprises"
BOTH = Showing(pledge=True, course=True)


def bid(enforcement: Enforcement, day: str | None = None) -> str:
    return outcome(enforcement, FIRM, BID, day)


def entry(ref: str) -> str:
    return f"{LIST}:{FIRM}:{ref}"


def samr(ref: str) -> str:
    return rid(ref, "samr.national")


def test_an_accepted_repair_ends_the_listing_and_the_record_at_once(
    store: Store, enforcement: Enforcement
) -> None:
    # reported on its day: listed from 11 June 2024 for 3 years
    ingest_on(store, "2024-06-01", dishonest("D-1", "2024-06-01"))
    assert bid(enforcement) == "deny"
    view = apply_repair(ingestor(store), FIRM, entry=entry("D-1"), showing=BOTH)
    case = view.case
    assert re.fullmatch(r"REP-20260302-[0-9a-f]{12}", case.id) and case.state == "applied"
    filing = case.filing.attributes
    assert filing["eligible_from"] == "2025-06-11"  # one year on the list
    assert filing["target_kind"] == "list_entry" and filing["target"] == samr("D-1")
    assert filing["decide_by"] == "2026-03-09"  # 5 working days
    assert view.next is not None and view.next.who == "reviewer"
    assert bid(enforcement) == "deny"  # nothing changes until the decision
    move(store, "2026-03-03")
    decided = decide_repair(ingestor(store), case.id, True, "pledge and course shown", "reviewer-1")
    assert decided.case.state == "decided" and decided.case.outcome == "accepted"
    assert bid(enforcement) == "allow"  # published at once
    state = assess(store, FIRM)
    [listed] = [e for e in state["lists"] if e["list"] == LIST]
    assert listed["status"] == "ended" and listed["end"] == "2026-03-03"
    assert listed["removed_by"] == decided.case.steps[-1].record
    assert [(e["reason"], e["end"]) for e in state["expired"]] == [("repaired", "2026-03-03")]
    assert state["grades"]["national"] == "AAA"
    with pytest.raises(InvalidTransition):
        decide_repair(ingestor(store), case.id, False, "again", "reviewer-1")
    # what was decided on 2 March, with what was known then, stays a refusal
    then = enforcement.check(FIRM, BID, at("2026-03-02"), known_at=at("2026-03-02"))
    assert then.outcome == "deny"


def test_a_refused_repair_changes_nothing_and_may_be_applied_for_again(
    store: Store, enforcement: Enforcement
) -> None:
    ingest_on(store, "2024-06-01", dishonest("D-1", "2024-06-01"))
    case = apply_repair(ingestor(store), FIRM, entry=entry("D-1"), showing=BOTH).case.id
    with pytest.raises(AlreadyOpen) as err:
        apply_repair(ingestor(store), FIRM, record=samr("D-1"), showing=BOTH)
    assert err.value.code == "already_open"
    refused = decide_repair(ingestor(store), case, False, "harm not remedied", "reviewer-1").case
    assert refused.outcome == "refused"
    assert bid(enforcement) == "deny"
    again = apply_repair(ingestor(store), FIRM, entry=entry("D-1"), showing=BOTH).case.id
    assert again.startswith("REP-20260302-") and again != case


def test_a_repair_needs_the_pledge_and_the_course(store: Store) -> None:
    ingest_on(store, "2024-06-01", dishonest("D-1", "2024-06-01"))
    with pytest.raises(MissingRequirement) as err:
        apply_repair(ingestor(store), FIRM, entry=entry("D-1"), showing=Showing(course=True))
    assert (err.value.code, err.value.field) == ("missing_requirement", "pledge")
    with pytest.raises(MissingRequirement) as err:
        apply_repair(ingestor(store), FIRM, entry=entry("D-1"), showing=Showing(pledge=True))
    assert err.value.field == "course"


def test_a_repair_before_the_minimum_period_is_too_early(store: Store) -> None:
    ingest_on(store, "2025-11-01", penalty("P-3", "2025-11-01", sector="food"))
    ingest_on(store, "2025-12-01", dishonest("D-2", "2025-12-01"))  # listed from 2025-12-11
    ingest_on(store, "2026-02-01", penalty("P-2", "2026-02-01"))
    with pytest.raises(TooEarly) as err:
        apply_repair(ingestor(store), FIRM, entry=entry("D-2"), showing=BOTH)
    assert err.value.code == "too_early" and "2026-12-11" in err.value.message
    with pytest.raises(TooEarly) as err:
        apply_repair(ingestor(store), FIRM, record=samr("P-2"), showing=BOTH)
    assert "2026-05-02" in err.value.message  # general: 3 months
    with pytest.raises(TooEarly) as err:
        apply_repair(ingestor(store), FIRM, record=samr("P-3"), showing=BOTH)
    assert "2026-11-01" in err.value.message  # food: at least a year (NDRC Order No. 58)


def test_a_record_repair_ends_its_effect(store: Store) -> None:
    ingest(store, penalty("P-1", "2025-11-01"))  # a fine: -20 for 180 days
    before = assess(store, FIRM)
    assert [c["record_id"] for c in before["contributions"]] == [samr("P-1")]
    case = apply_repair(
        ingestor(store), FIRM, record=samr("P-1"), showing=Showing(pledge=True)
    ).case
    assert case.filing.attributes["eligible_from"] == "2026-01-30"
    decide_repair(ingestor(store), case.id, True, "pledge made", "reviewer-1")
    after = assess(store, FIRM)
    assert after["contributions"] == []
    assert {(e["record_id"], e["reason"]) for e in after["expired"]} == {(samr("P-1"), "repaired")}


def test_what_cannot_be_repaired(store: Store) -> None:
    target = listed_debtor(store, occurred="2024-01-05")
    with pytest.raises(NotRepairable) as err:
        apply_repair(
            ingestor(store), DEBTOR, entry=f"court_defaulters:{DEBTOR}:{CASE_NO}", showing=BOTH
        )
    assert err.value.code == "not_repairable" and "court_defaulters" in err.value.message
    with pytest.raises(NotRepairable) as err:
        apply_repair(ingestor(store), DEBTOR, record=target, showing=BOTH)
    assert "courts" in err.value.message


def test_the_maximum_period_ends_an_effect_without_any_case(
    store: Store, enforcement: Enforcement
) -> None:
    ingest_on(store, "2022-01-01", dishonest("D-0", "2022-01-01"))  # listed from 2022-01-11
    ingest_on(store, "2025-06-01", penalty("P-0", "2025-06-01"))
    state = assess(store, FIRM)
    assert state["contributions"] == []
    assert {(e["record_id"], e["reason"], e["end"]) for e in state["expired"]} == {
        (samr("P-0"), "period", "2025-11-28"),  # 180 days
        (samr("D-0"), "period", "2024-12-31"),  # 1095 days
    }
    [listed] = [e for e in state["lists"] if e["list"] == LIST]
    assert listed["status"] == "ended" and listed["removed_by"] is None
    assert bid(enforcement) == "allow"
    assert bid(enforcement, "2025-01-09") == "deny"  # the listing's last day
    with pytest.raises(NotRepairable) as err:
        apply_repair(ingestor(store), FIRM, record=samr("P-0"), showing=BOTH)
    assert "no longer counts" in err.value.message
    with pytest.raises(NotRepairable) as err:
        apply_repair(ingestor(store), FIRM, entry=entry("D-0"), showing=BOTH)
    assert "has ended" in err.value.message


def test_a_fulfilment_record_of_the_same_case_is_required_where_the_pack_says(
    store: Store,
) -> None:
    def fulfilled(case: str) -> dict[str, object]:
        return {
            "provider": "spc.national",
            "ref": f"{case}-done",
            "subject": DEBTOR,
            "category": "judicial.judgment_fulfilled",
            "occurred_at": "2026-02-01",
            "attributes": {"case_no": case, "how": "paid_in_full"},
        }

    breach = {
        "provider": "spc.national",
        "ref": "B-1",
        "subject": DEBTOR,
        "category": "judicial.civil_breach",
        "occurred_at": "2025-10-01",
        "attributes": {"case_no": "B-1", "contract": "loan"},
    }
    ingest(store, breach, fulfilled("B-1"), fulfilled("B-9"))
    pledge = Showing(pledge=True)
    with pytest.raises(MissingRequirement) as err:
        apply_repair(ingestor(store), DEBTOR, record=rid("B-1"), showing=pledge)
    assert err.value.field == "fulfilment" and "judicial.judgment_fulfilled" in err.value.message
    with pytest.raises(MissingRequirement):
        other = Showing(pledge=True, fulfilment=rid("B-9-done"))
        apply_repair(ingestor(store), DEBTOR, record=rid("B-1"), showing=other)
    with pytest.raises(MissingRequirement):
        wrong_kind = Showing(pledge=True, fulfilment=rid("B-1"))
        apply_repair(ingestor(store), DEBTOR, record=rid("B-1"), showing=wrong_kind)
    shown = Showing(pledge=True, fulfilment=rid("B-1-done"))
    view = apply_repair(ingestor(store), DEBTOR, record=rid("B-1"), showing=shown)
    assert view.case.filing.attributes["fulfilment"] == rid("B-1-done")
