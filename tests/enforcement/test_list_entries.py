"""List entries (docs/lists.md, "Entries"), feature by feature, on the shipped lists.

The national court defaulter list gives the notice period (30 days), the
fixed term (730 days), the aggravated extension (+365) and the ground-1
override (until performance, at most 1825 days); the other shipped lists give
thresholds, zero notice and removal by clearing; the Rongcheng honour list is
the grade-based red list. The ledger builder is in ``support/lists.py``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from socialcredit.enforcement.entries import entries_for
from socialcredit.enforcement.model import ListEntry
from socialcredit.engine.model import LedgerRecord, SubjectRef
from socialcredit.policy.pack import default_packs
from socialcredit.policy.policy_set import PolicySet

from support.lists import ELSEWHERE, FIRM, Ledger
from support.packs import PERSON, day, instant


@pytest.fixture(scope="module")
def policy() -> PolicySet:
    return PolicySet(default_packs())


def entries(
    policy: PolicySet,
    ledger: Ledger,
    on: str,
    subject: SubjectRef = PERSON,
    *,
    known_at: dt.datetime | None = None,
    grades: dict[str, str] | None = None,
    only: str | None = None,
) -> list[ListEntry]:
    found = entries_for(
        policy,
        subject,
        ledger.records,
        instant(on),
        known_at,
        (grades or {}).get if grades is not None else None,
    )
    return [e for e in found if only is None or e.list == only]


def court(policy: PolicySet, ledger: Ledger, on: str, **kw: Any) -> ListEntry:
    [entry] = entries(policy, ledger, on, only="court_defaulters", **kw)
    return entry


# -- notice, term, extension, override ------------------------------------------------


def test_notice_period_pending_then_active(policy: PolicySet) -> None:
    ledger = Ledger()
    ground = ledger.default("2025-03-01")
    e = court(policy, ledger, "2025-03-01")
    assert e.status == "pending"
    assert (e.pending_from, e.effective_from) == (day("2025-03-01"), day("2025-03-31"))
    assert e.id == f"court_defaulters:{PERSON.id}:C1"
    assert (e.ground_record, e.kind, e.pack, e.authority) == (
        ground.id,
        "black",
        "national",
        "People's courts",
    )
    assert "Fa Shi [2013] No. 17" in e.legal_basis
    assert court(policy, ledger, "2025-03-30").status == "pending"
    assert court(policy, ledger, "2025-03-31").status == "active"


def test_nothing_before_the_ground_occurs(policy: PolicySet) -> None:
    ledger = Ledger()
    ledger.default("2025-03-01")
    assert entries(policy, ledger, "2025-02-28") == []


def test_the_day_is_the_china_date_of_at(policy: PolicySet) -> None:
    ledger = Ledger()
    ledger.default("2025-03-01")
    late_utc = dt.datetime(2025, 3, 30, 17, 0)  # 01:00 on 31 March in Beijing
    [e] = entries_for(policy, PERSON, ledger.records, late_utc)
    assert e.status == "active"


def test_fixed_term_ends_exactly(policy: PolicySet) -> None:
    ledger = Ledger()
    ledger.default("2025-03-01")
    e = court(policy, ledger, "2027-03-30")
    assert e.ends_at == e.end == day("2025-03-31") + dt.timedelta(days=730)
    assert e.ends_at == day("2027-03-31")
    assert (e.status, e.removed_by) == ("active", None)
    assert court(policy, ledger, "2027-03-31").status == "ended"


def test_aggravated_cases_are_extended_by_the_days_the_court_set(policy: PolicySet) -> None:
    ledger = Ledger()
    ledger.default("2025-03-01", attrs={"aggravated": True, "extension_days": 730})
    e = court(policy, ledger, "2027-04-01")
    assert e.ends_at == day("2025-03-31") + dt.timedelta(days=730 + 730)
    assert e.status == "active"


def test_an_aggravated_case_without_an_extension_keeps_the_term(policy: PolicySet) -> None:
    ledger = Ledger()
    ledger.default("2025-03-01", attrs={"aggravated": True})
    e = court(policy, ledger, "2027-04-01")
    assert e.ends_at == day("2025-03-31") + dt.timedelta(days=730)
    assert e.status == "ended"


def test_ground_one_lasts_until_performance_capped_by_max_days(policy: PolicySet) -> None:
    ledger = Ledger()
    ledger.default("2025-03-01", ground="able_but_refuses", attrs={"aggravated": True})
    e = court(policy, ledger, "2029-01-01")
    # the override replaces the term; an extension does not lengthen until_removed
    assert e.ends_at == day("2025-03-31") + dt.timedelta(days=1825)
    assert e.status == "active"
    assert court(policy, ledger, "2030-03-30").status == "ended"


# -- removal ---------------------------------------------------------------------------


def test_performance_of_the_same_act_removes(policy: PolicySet) -> None:
    ledger = Ledger()
    ledger.default("2025-03-01", ground="able_but_refuses")
    paid = ledger.fulfilled("2026-01-10")
    before = court(policy, ledger, "2026-01-09")
    assert (before.status, before.removed_by) == ("active", None)  # not yet occurred
    e = court(policy, ledger, "2026-01-10")
    assert (e.status, e.end, e.removed_by) == ("ended", day("2026-01-10"), paid.id)
    assert e.ends_at == day("2025-03-31") + dt.timedelta(days=1825)


def test_performance_of_another_act_does_not_remove(policy: PolicySet) -> None:
    ledger = Ledger()
    ledger.default("2025-03-01", case="C1")
    ledger.fulfilled("2025-06-01", case="C2")
    e = court(policy, ledger, "2025-07-01")
    assert (e.status, e.removed_by) == ("active", None)


def test_removal_during_notice_ends_the_entry_before_it_takes_effect(policy: PolicySet) -> None:
    ledger = Ledger()
    ledger.default("2025-03-01")
    ledger.fulfilled("2025-03-10")
    e = court(policy, ledger, "2025-04-15")
    assert (e.status, e.end) == ("ended", day("2025-03-10"))


def test_a_removal_before_the_ground_does_not_count(policy: PolicySet) -> None:
    ledger = Ledger()
    ledger.fulfilled("2025-01-10")
    ledger.default("2025-03-01")
    assert court(policy, ledger, "2025-04-15").status == "active"


def test_a_removal_not_yet_known_does_not_count(policy: PolicySet) -> None:
    ledger = Ledger()
    ledger.default("2025-03-01")
    ledger.fulfilled("2025-05-01", recorded="2025-05-20T00:00:00")
    known_early = dt.datetime(2025, 5, 10)
    e = court(policy, ledger, "2025-05-15", known_at=known_early)
    assert (e.status, e.removed_by) == ("active", None)
    later = court(policy, ledger, "2025-05-15", known_at=dt.datetime(2025, 5, 21))
    assert (later.status, later.end) == ("ended", day("2025-05-01"))  # the same day, re-asked


def test_a_removal_after_the_term_changes_nothing(policy: PolicySet) -> None:
    ledger = Ledger()
    ledger.default("2025-03-01")
    ledger.fulfilled("2027-06-01")
    e = court(policy, ledger, "2027-07-01")
    assert (e.status, e.end, e.removed_by) == ("ended", day("2027-03-31"), None)


# -- warn before punishing: notice from the day the platform learnt of the ground ---------


def test_a_ground_reported_late_is_pending_from_the_day_it_was_recorded(
    policy: PolicySet,
) -> None:
    ledger = Ledger()
    # 100 days after it occurred, at 01:00 on 9 June in Beijing (still 8 June in UTC)
    ground = ledger.default("2025-03-01", recorded="2025-06-08T17:00:00")
    e = court(policy, ledger, "2025-06-09")
    assert (e.status, e.ground_record) == ("pending", ground.id)
    assert (e.pending_from, e.effective_from) == (day("2025-06-09"), day("2025-07-09"))
    assert e.ends_at == e.end == day("2025-07-09") + dt.timedelta(days=730)
    assert court(policy, ledger, "2025-07-08").status == "pending"
    assert court(policy, ledger, "2025-07-09").status == "active"
    # not in force on any day before the notice ran out, even as known today
    past = court(policy, ledger, "2025-04-15", known_at=instant("2025-07-09"))
    assert (past.status, past.effective_from) == ("pending", day("2025-07-09"))


def test_a_ground_reported_on_its_day_behaves_as_before(policy: PolicySet) -> None:
    for recorded in ("2025-03-01T02:00:00", "2025-03-01T15:59:59", "2024-12-31T00:00:00"):
        ledger = Ledger()  # on its day (10:00 and 23:59 in Beijing), or before it occurred
        ledger.default("2025-03-01", recorded=recorded)
        e = court(policy, ledger, "2025-03-02")
        assert (e.status, e.pending_from, e.effective_from) == (
            "pending",
            day("2025-03-01"),
            day("2025-03-31"),
        ), recorded
        assert e.ends_at == day("2025-03-31") + dt.timedelta(days=730)
        assert court(policy, ledger, "2025-03-31").status == "active"


def test_a_fulfilment_before_the_late_report_still_removes_the_entry(policy: PolicySet) -> None:
    ledger = Ledger()
    ledger.default("2025-03-01", recorded="2025-06-09T02:00:00")
    paid = ledger.fulfilled("2025-04-01", recorded="2025-04-02T02:00:00")
    e = court(policy, ledger, "2025-06-09")
    assert (e.pending_from, e.effective_from) == (day("2025-06-09"), day("2025-07-09"))
    assert (e.status, e.end, e.removed_by) == ("ended", day("2025-04-01"), paid.id)
    assert court(policy, ledger, "2025-08-01").status == "ended"  # never in force


def test_a_correction_does_not_restart_the_notice_period(policy: PolicySet) -> None:
    ledger = Ledger()
    original = ledger.default("2025-03-01", recorded="2025-03-02T02:00:00")
    fixed = ledger.default(
        "2025-03-01", attrs={"amount": 10}, recorded="2025-05-01T02:00:00", supersedes=original
    )
    e = court(policy, ledger, "2025-05-01")
    assert (e.ground_record, e.status) == (fixed.id, "active")
    assert (e.pending_from, e.effective_from) == (day("2025-03-02"), day("2025-04-01"))
    assert e.ends_at == day("2025-04-01") + dt.timedelta(days=730)


def test_a_correction_that_makes_a_record_a_ground_gives_notice_from_the_correction(
    policy: PolicySet,
) -> None:
    ledger = Ledger()
    breach = ledger.add(
        "judicial.civil_breach", "2025-03-01", {"case_no": "C1"}, recorded="2025-03-02T02:00:00"
    )
    assert entries(policy, ledger, "2025-04-15", only="court_defaulters") == []
    ledger.default("2025-03-01", recorded="2025-05-01T02:00:00", supersedes=breach)
    e = court(policy, ledger, "2025-05-01")
    assert (e.status, e.pending_from, e.effective_from) == (
        "pending",
        day("2025-05-01"),
        day("2025-05-31"),
    )


def test_a_correction_naming_another_act_gives_notice_from_the_correction(
    policy: PolicySet,
) -> None:
    ledger = Ledger()
    wrong = ledger.default("2025-03-01", case="C0", recorded="2025-03-02T02:00:00")
    ledger.default("2025-03-01", case="C1", recorded="2025-05-01T02:00:00", supersedes=wrong)
    e = court(policy, ledger, "2025-05-01")  # a new entry: C0's notice was about C0
    assert (e.act_key, e.status, e.pending_from) == ("C1", "pending", day("2025-05-01"))


# -- grounds: one act, supersession, visibility ------------------------------------------


def test_records_of_one_act_are_one_entry(policy: PolicySet) -> None:
    ledger = Ledger()
    second = ledger.default("2025-04-01", ground="evades_enforcement")
    first = ledger.default("2025-03-01")
    other = ledger.default("2025-03-05", case="C2")
    found = entries(policy, ledger, "2025-05-01", only="court_defaulters")
    assert [e.act_key for e in found] == ["C1", "C2"]
    assert (found[0].ground_record, found[0].supporting_records) == (first.id, (second.id,))
    assert found[1].ground_record == other.id


def test_a_withdrawn_ground_leaves_no_entry(policy: PolicySet) -> None:
    ledger = Ledger()
    wrong = ledger.default("2025-03-01")
    ledger.default("2025-03-01", supersedes=wrong, withdrawn=True)
    assert entries(policy, ledger, "2025-05-01") == []


def test_a_corrected_ground_replaces_the_original(policy: PolicySet) -> None:
    ledger = Ledger()
    original = ledger.default("2025-03-01", ground="able_but_refuses")
    fixed = ledger.default("2025-03-01", ground="asset_report_violation", supersedes=original)
    e = court(policy, ledger, "2025-05-01")
    assert e.ground_record == fixed.id
    assert e.ends_at == day("2025-03-31") + dt.timedelta(days=730)  # no longer ground 1


def test_a_ground_recorded_after_known_at_is_not_seen(policy: PolicySet) -> None:
    ledger = Ledger()
    ledger.default("2025-03-01", recorded="2025-04-20T00:00:00")
    assert entries(policy, ledger, "2025-05-01", known_at=dt.datetime(2025, 4, 1)) == []
    assert len(entries(policy, ledger, "2025-05-01")) == 1


def test_another_subjects_records_are_ignored(policy: PolicySet) -> None:
    ledger = Ledger()
    ledger.default("2025-03-01", subject=FIRM)
    assert entries(policy, ledger, "2025-05-01", PERSON) == []
    assert [e.subject for e in entries(policy, ledger, "2025-05-01", FIRM)] == [FIRM.id]


# -- the other shipped lists ----------------------------------------------------------


def test_consumption_restriction_has_no_notice_and_lifts_on_performance(
    policy: PolicySet,
) -> None:
    ledger = Ledger()
    ledger.add("judicial.consumption_restriction", "2025-03-01", {"case_no": "C1"})
    [e] = entries(policy, ledger, "2025-03-01", only="high_consumption_restricted")
    assert (e.status, e.effective_from) == ("active", day("2025-03-01"))
    ledger.fulfilled("2025-08-01")
    [e] = entries(policy, ledger, "2025-08-01", only="high_consumption_restricted")
    assert e.status == "ended"


@pytest.mark.parametrize(
    ("amount", "share", "listed"),
    [(2_000_000, 0.05, False), (2_000_000, 0.2, True), (900_000, 0.5, False),
     (12_000_000, None, True)],
)  # fmt: skip
def test_major_tax_violators_above_the_threshold(
    policy: PolicySet, amount: int, share: float | None, listed: bool
) -> None:
    ledger = Ledger()
    attrs: dict[str, Any] = {"decision_no": "T1", "amount": amount}
    if share is not None:
        attrs["share"] = share
    ledger.add("tax.evasion", "2025-03-01", attrs, subject=FIRM)
    found = entries(policy, ledger, "2025-06-01", FIRM, only="major_tax_violators")
    assert len(found) == int(listed)
    if listed:
        assert found[0].ends_at == day("2025-03-11") + dt.timedelta(days=1095)


def test_abnormal_operations_until_cleared_at_most_three_years(policy: PolicySet) -> None:
    ledger = Ledger()
    attrs = {"decision_no": "A1", "reason": "no_annual_report"}
    ledger.add("market.abnormal_operation", "2025-07-01", attrs, subject=FIRM)
    [e] = entries(policy, ledger, "2025-07-01", FIRM, only="abnormal_operations")
    assert (e.status, e.ends_at) == ("active", day("2028-06-30"))
    ledger.add(
        "market.abnormal_operation_cleared", "2025-09-01", {"decision_no": "A1"}, subject=FIRM
    )
    [e] = entries(policy, ledger, "2025-09-01", FIRM, only="abnormal_operations")
    assert e.status == "ended"


def test_a_list_holds_only_the_kinds_it_names(policy: PolicySet) -> None:
    ledger = Ledger()
    attrs = {"decision_no": "S1", "ground": "fraud_in_bidding"}
    ledger.add("market.serious_illegal_dishonesty", "2025-03-01", attrs, subject=FIRM)
    # the same record filed against a person (kind mismatch) lists nobody
    ledger.add("market.serious_illegal_dishonesty", "2025-03-01", attrs)
    assert entries(policy, ledger, "2025-06-01", PERSON) == []
    [e] = entries(policy, ledger, "2025-06-01", FIRM)
    assert (e.list, e.ends_at) == (
        "serious_illegal_dishonest_enterprises",
        day("2025-03-11") + dt.timedelta(days=1095),
    )


# -- red lists --------------------------------------------------------------------------


def grade(ledger: Ledger, published: str, year: int, value: str) -> LedgerRecord:
    attributes = {"year": year, "grade": value}
    return ledger.add("tax.credit_grade", published, attributes, subject=FIRM)


def test_a_grade_a_taxpayer_is_on_the_red_list_until_the_next_grade(policy: PolicySet) -> None:
    ledger = Ledger()
    grade(ledger, "2024-04-15", 2023, "B")
    assert entries(policy, ledger, "2024-05-01", FIRM) == []
    first = grade(ledger, "2025-04-16", 2024, "A")
    [e] = entries(policy, ledger, "2025-05-01", FIRM)
    assert (e.list, e.kind, e.status, e.ground_record) == ("tax_a_grade", "red", "active", first.id)
    assert e.ends_at == day("2027-04-16")  # at the latest: the 2-year cap
    # the next published grade, A again: the old entry ends the day the new one starts
    second = grade(ledger, "2026-04-20", 2025, "A")
    old, new = entries(policy, ledger, "2026-05-01", FIRM)
    assert (old.ground_record, old.end, old.removed_by) == (first.id, day("2026-04-20"), second.id)
    assert (new.ground_record, new.effective_from, new.status) == (
        second.id,
        day("2026-04-20"),
        "active",
    )


def test_a_d_grade_ends_the_a_grade_and_lists_the_taxpayer(policy: PolicySet) -> None:
    ledger = Ledger()
    grade(ledger, "2025-04-16", 2024, "A")
    d = grade(ledger, "2026-04-20", 2025, "D")
    found = {e.list: e for e in entries(policy, ledger, "2026-05-10", FIRM)}
    assert found["tax_a_grade"].status == "ended" and found["tax_a_grade"].removed_by == d.id
    black = found["tax_d_grade"]
    assert (black.kind, black.ground_record, black.status) == ("black", d.id, "active")
    assert black.effective_from == day("2026-04-30")  # after 10 days' notice
    assert black.ends_at == day("2028-04-29")  # art. 32: kept for 2 years at the latest
    # the next grade ends the D-grade listing
    b = grade(ledger, "2027-04-18", 2026, "B")
    [ended] = [e for e in entries(policy, ledger, "2027-05-01", FIRM) if e.list == "tax_d_grade"]
    assert (ended.status, ended.removed_by) == ("ended", b.id)


@pytest.mark.parametrize(
    ("amount", "share", "ends"),
    [(500_000, 0.2, True), (500_000, 0.05, False), (50_000, 0.5, False)],
)
def test_an_evasion_that_grades_d_directly_ends_the_a_grade(
    policy: PolicySet, amount: int, share: float, ends: bool
) -> None:
    ledger = Ledger()
    grade(ledger, "2025-04-16", 2024, "A")
    attributes = {"decision_no": "税罚2025-9", "amount": amount, "share": share}
    evasion = ledger.add("tax.evasion", "2025-09-01", attributes, subject=FIRM)
    [a] = [e for e in entries(policy, ledger, "2025-10-01", FIRM) if e.list == "tax_a_grade"]
    if ends:  # 100,000 yuan or more and 10% or more of the tax payable: D directly
        assert (a.status, a.end, a.removed_by) == ("ended", day("2025-09-01"), evasion.id)
    else:
        assert a.status == "active"


def test_customs_certification_until_revoked(policy: PolicySet) -> None:
    ledger = Ledger()
    status = {"status": "advanced_certified", "certificate_no": "AEO1"}
    ledger.add("customs.credit_status", "2025-01-01", status, subject=FIRM)
    [e] = entries(policy, ledger, "2025-06-01", FIRM)
    assert (e.list, e.act_key, e.ends_at) == (
        "customs_advanced_certified",
        "AEO1",
        day("2025-01-01") + dt.timedelta(days=1095),
    )
    revoked = {"certificate_no": "AEO1", "new_status": "dishonest"}
    ledger.add("customs.certification_revoked", "2025-07-01", revoked, subject=FIRM)
    [e] = entries(policy, ledger, "2025-07-01", FIRM)
    assert e.status == "ended"


def test_a_grade_based_red_list_holds_for_the_day(policy: PolicySet) -> None:
    ledger = Ledger()
    [e] = entries(policy, ledger, "2026-03-01", grades={"rongcheng": "AAA"})
    assert (e.list, e.kind, e.status, e.act_key, e.ground_record) == (
        "rongcheng_honour",
        "red",
        "active",
        "rongcheng:AAA",
        None,
    )
    assert (e.pending_from, e.effective_from, e.ends_at, e.end) == (
        day("2026-03-01"),
        day("2026-03-01"),
        day("2026-03-02"),
        day("2026-03-02"),
    )
    assert e.id == f"rongcheng_honour:{PERSON.id}:rongcheng:AAA"
    assert e.pack == "rongcheng"


@pytest.mark.parametrize("grades", [None, {}, {"rongcheng": "AA"}, {"national": "AAA"}])
def test_no_grade_or_another_grade_is_no_entry(
    policy: PolicySet, grades: dict[str, str] | None
) -> None:
    assert entries(policy, Ledger(), "2026-03-01", grades=grades) == []


def test_a_municipal_list_covers_its_city_only(policy: PolicySet) -> None:
    assert entries(policy, Ledger(), "2026-03-01", ELSEWHERE, grades={"rongcheng": "AAA"}) == []


def test_aware_instants_are_accepted(policy: PolicySet) -> None:
    ledger = Ledger()
    ledger.default("2025-03-01")
    at = dt.datetime(2025, 3, 31, 1, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    [e] = entries_for(policy, PERSON, ledger.records, at, at)
    assert e.status == "active"
