"""docs/engine.md step 3 (docs/remedies.md "Effect on the engines"), on plain records:
suspension by an unanswered objection or during an appeal, and credit repair, in the
incremental engine, in list entries and in the enforcement index rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from socialcredit.enforcement.decide import decide
from socialcredit.enforcement.entries import entries_for, in_force, is_active
from socialcredit.enforcement.index import index_rows
from socialcredit.engine.due_process import due_process
from socialcredit.engine.incremental import evaluate_subject
from socialcredit.engine.model import LedgerRecord, SubjectRef
from socialcredit.engine.records import effective_records
from socialcredit.engine.scope import NOWHERE
from socialcredit.ledger.record import record_id
from socialcredit.policy.pack import default_packs
from socialcredit.policy.policy_set import PolicySet

from support.factories import person_id

PERSON = SubjectRef(person_id(seq=41), "person")
PLATFORM = "platform.remedies"


@pytest.fixture(scope="module")
def policy() -> PolicySet:
    return PolicySet(default_packs())


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def noon(text: str) -> dt.datetime:
    """Noon in Beijing as naive UTC."""
    return dt.datetime.fromisoformat(text) + dt.timedelta(hours=4)


class Ledger:
    def __init__(self) -> None:
        self.records: list[LedgerRecord] = []

    def add(
        self,
        category: str,
        occurred: str,
        attributes: dict[str, Any],
        *,
        provider: str = "spc.national",
        ref: str | None = None,
        recorded: str | None = None,
    ) -> LedgerRecord:
        seq = len(self.records) + 1
        ref = ref or f"r{seq}"
        rec = LedgerRecord(
            seq=seq,
            id=record_id(provider, ref),
            provider=provider,
            subject=PERSON.id,
            category=category,
            occurred_at=day(occurred),
            recorded_at=noon(recorded or occurred),
            attributes=attributes,
            supersedes=None,
            withdrawn=False,
            ref=ref,
        )
        self.records.append(rec)
        return rec

    def default(self, occurred: str, case: str = "C1") -> LedgerRecord:
        attrs = {"case_no": case, "ground": "evades_enforcement"}
        return self.add(
            "judicial.judgment_default", occurred, attrs, ref=f"default-{case}-{occurred}"
        )

    def objection(self, target: LedgerRecord, filed: str, answer_by: str, case: str) -> None:
        attrs = {
            "target": target.id,
            "grounds": "wrong",
            "evidence": "x",
            "provider": target.provider,
            "accept_by": filed,
            "answer_by": answer_by,
            "review_by": answer_by,
        }
        self.add("remedy.objection_filed", filed, attrs, provider=PLATFORM, ref=case)

    def step(self, category: str, on: str, case: str, **attrs: Any) -> LedgerRecord:
        return self.add(
            category, on, {"case": case, **attrs}, provider=PLATFORM, ref=f"{case}/{category}"
        )

    def repair(self, target: LedgerRecord, on: str, case: str, entry: str | None = None) -> None:
        attrs = {
            "target": target.id,
            "target_kind": "list_entry" if entry else "record",
            "pledge": True,
            "course_completed": True,
            "eligible_from": on,
        }
        if entry:
            attrs["entry"] = entry
        self.add("remedy.repair_applied", on, attrs, provider=PLATFORM, ref=case)


def national(policy: PolicySet, ledger: Ledger, on: str, known: str | None = None) -> Any:
    a = evaluate_subject(policy, PERSON, ledger.records, noon(on), noon(known) if known else None)
    return a.schemes["national"]


def test_an_unanswered_objection_suspends_the_record_from_the_day_after_answer_by(
    policy: PolicySet,
) -> None:
    ledger = Ledger()
    ground = ledger.default("2026-01-05")
    ledger.objection(ground, "2026-03-02", "2026-03-18", "OBJ-1")
    before = national(policy, ledger, "2026-03-18")
    assert [c.record_id for c in before.contributions] == [ground.id]
    after = national(policy, ledger, "2026-03-19")
    assert after.contributions == () and after.score == 1000
    [expired] = after.expired
    assert (expired.record_id, expired.reason, expired.end) == (
        ground.id,
        "suspended",
        day("2026-03-19"),
    )
    assert ground not in effective_records(
        ledger.records, noon("2026-03-19"), day("2026-03-19"), PERSON.id
    )
    holds = due_process(ledger.records).holds[ground.id]
    assert [(h.start, h.until, h.case, h.reason) for h in holds] == [
        (day("2026-03-19"), None, "OBJ-1", "objection")
    ]


def test_a_late_answer_ends_the_suspension_on_its_day_and_an_answer_in_time_prevents_it(
    policy: PolicySet,
) -> None:
    ledger = Ledger()
    ground = ledger.default("2026-01-05")
    ledger.objection(ground, "2026-03-02", "2026-03-18", "OBJ-1")
    ledger.step("remedy.provider_answered", "2026-03-20", "OBJ-1", outcome="upheld", reasons="r")
    assert national(policy, ledger, "2026-03-19").contributions == ()
    assert len(national(policy, ledger, "2026-03-20").contributions) == 1
    # what was known on 19 March: still suspended, the answer came later
    assert national(policy, ledger, "2026-03-21", known="2026-03-19").contributions == ()

    in_time = Ledger()
    ground = in_time.default("2026-01-05")
    in_time.objection(ground, "2026-03-02", "2026-03-18", "OBJ-2")
    in_time.step("remedy.provider_answered", "2026-03-10", "OBJ-2", outcome="upheld", reasons="r")
    assert due_process(in_time.records).holds == {}
    assert len(national(policy, in_time, "2026-03-25").contributions) == 1


def test_a_listing_suspended_during_appeal_counts_again_once_the_appeal_is_decided(
    policy: PolicySet,
) -> None:
    ledger = Ledger()
    ground = ledger.default("2026-01-05")
    ledger.objection(ground, "2026-02-02", "2026-02-24", "OBJ-1")
    ledger.step("remedy.provider_answered", "2026-02-10", "OBJ-1", outcome="upheld", reasons="r")
    ledger.step("remedy.listing_suspended", "2026-03-01", "OBJ-1", target=ground.id)
    assert len(national(policy, ledger, "2026-02-28").contributions) == 1
    assert national(policy, ledger, "2026-03-05").expired[0].reason == "suspended"
    ledger.step(
        "remedy.appeal_decided",
        "2026-03-10",
        "OBJ-1",
        outcome="upheld",
        reasons="r",
        decided_by="x",
    )
    assert national(policy, ledger, "2026-03-09").contributions == ()
    assert len(national(policy, ledger, "2026-03-10").contributions) == 1


def test_an_accepted_repair_ends_the_effect_on_its_effective_day(policy: PolicySet) -> None:
    ledger = Ledger()
    ground = ledger.add(
        "judicial.civil_breach", "2025-10-01", {"case_no": "B1", "contract": "loan"}
    )
    ledger.repair(ground, "2026-03-02", "REP-1")
    ledger.step(
        "remedy.repair_decided",
        "2026-03-04",
        "REP-1",
        outcome="refused",
        reasons="r",
        decided_by="x",
    )
    assert len(national(policy, ledger, "2026-03-05").contributions) == 1
    ledger.repair(ground, "2026-03-06", "REP-2")
    ledger.step(
        "remedy.repair_decided",
        "2026-03-06",
        "REP-2",
        outcome="accepted",
        reasons="r",
        decided_by="x",
        effective="2026-03-08",
    )
    assert len(national(policy, ledger, "2026-03-07").contributions) == 1
    later = national(policy, ledger, "2026-03-08")
    assert later.contributions == ()
    assert [(e.reason, e.end) for e in later.expired] == [("repaired", day("2026-03-08"))]


def test_list_entries_carry_their_suspensions_and_the_index_splits_around_them(
    policy: PolicySet,
) -> None:
    ledger = Ledger()
    ground = ledger.default("2026-01-05")  # 30 days' notice: in force from 4 February
    ledger.objection(ground, "2026-03-02", "2026-03-18", "OBJ-1")
    [entry] = [
        e
        for e in entries_for(policy, PERSON, ledger.records, noon("2026-03-10"))
        if e.list == "court_defaulters"
    ]
    assert entry.status == "active" and is_active(entry, day("2026-03-18"))
    assert not is_active(entry, day("2026-03-19"))
    assert in_force(entry) == [(day("2026-02-04"), day("2026-03-19"))]
    rows = index_rows(policy, [entry], NOWHERE, [])
    assert {(r.valid_from, r.valid_to) for r in rows} == {(day("2026-02-04"), day("2026-03-19"))}

    [during] = [
        e
        for e in entries_for(policy, PERSON, ledger.records, noon("2026-03-19"))
        if e.list == "court_defaulters"
    ]
    assert during.status == "suspended"
    assert (
        decide(policy, PERSON, "transport.air.ticket", [during], [], noon("2026-03-19")).outcome
        == "allow"
    )

    ledger.step("remedy.provider_answered", "2026-03-20", "OBJ-1", outcome="upheld", reasons="r")
    [again] = [
        e
        for e in entries_for(policy, PERSON, ledger.records, noon("2026-03-20"))
        if e.list == "court_defaulters"
    ]
    assert again.status == "active"
    assert in_force(again) == [
        (day("2026-02-04"), day("2026-03-19")),
        (day("2026-03-20"), again.end),
    ]
    rows = index_rows(policy, [again], NOWHERE, [])
    assert {(r.valid_from, r.valid_to) for r in rows if r.action == "transport.air.ticket"} == {
        (day("2026-02-04"), day("2026-03-19")),
        (day("2026-03-20"), again.end),
    }


def test_an_entry_is_suspended_only_while_every_ground_is(policy: PolicySet) -> None:
    ledger = Ledger()
    first = ledger.default("2026-01-05")
    second = ledger.default("2026-01-20")  # same case number: a supporting record
    ledger.objection(first, "2026-03-02", "2026-03-18", "OBJ-1")
    [entry] = [
        e
        for e in entries_for(policy, PERSON, ledger.records, noon("2026-03-25"))
        if e.list == "court_defaulters"
    ]
    assert entry.ground_record == first.id and entry.status == "active"
    assert entry.suspensions == ()
    ledger.objection(second, "2026-03-09", "2026-03-25", "OBJ-2")
    [entry] = [
        e
        for e in entries_for(policy, PERSON, ledger.records, noon("2026-03-30"))
        if e.list == "court_defaulters"
    ]
    assert entry.status == "suspended"
    assert [(s.start, s.until) for s in entry.suspensions] == [(day("2026-03-26"), None)]


def test_a_repair_of_a_list_entry_ends_it_with_the_decision_as_removal(policy: PolicySet) -> None:
    ledger = Ledger()
    ground = ledger.default("2026-01-05")
    entry_id = f"court_defaulters:{PERSON.id}:C1"
    ledger.repair(ground, "2026-03-02", "REP-1", entry=entry_id)
    decision = ledger.step(
        "remedy.repair_decided",
        "2026-03-03",
        "REP-1",
        outcome="accepted",
        reasons="r",
        decided_by="x",
        effective="2026-03-03",
    )
    [entry] = [
        e
        for e in entries_for(policy, PERSON, ledger.records, noon("2026-03-03"))
        if e.list == "court_defaulters"
    ]
    assert (entry.status, entry.end, entry.removed_by) == ("ended", day("2026-03-03"), decision.id)


def _defaulters(policy: PolicySet, ledger: Ledger, on: str) -> Any:
    [entry] = [
        e
        for e in entries_for(policy, PERSON, ledger.records, noon(on))
        if e.list == "court_defaulters"
    ]
    return entry


def test_a_list_entry_names_an_appeal_suspension_and_its_case_until_the_decision(
    policy: PolicySet,
) -> None:
    ledger = Ledger()
    ground = ledger.default("2026-01-05")
    ledger.objection(ground, "2026-02-02", "2026-02-24", "OBJ-1")
    ledger.step("remedy.provider_answered", "2026-02-10", "OBJ-1", outcome="upheld", reasons="r")
    ledger.step("remedy.listing_suspended", "2026-03-01", "OBJ-1", target=ground.id)
    pending = _defaulters(policy, ledger, "2026-03-05")
    assert pending.status == "suspended"
    assert [(s.start, s.until, s.case, s.reason) for s in pending.suspensions] == [
        (day("2026-03-01"), None, "OBJ-1", "appeal")
    ]
    ledger.step("remedy.appeal_decided", "2026-03-10", "OBJ-1", outcome="upheld", reasons="r",
                decided_by="x")  # fmt: skip
    decided = _defaulters(policy, ledger, "2026-03-12")
    assert decided.status == "active"
    assert [(s.start, s.until, s.reason) for s in decided.suspensions] == [
        (day("2026-03-01"), day("2026-03-10"), "appeal")
    ]
    objected = Ledger()  # an unanswered objection is named as one
    ground = objected.default("2026-01-05")
    objected.objection(ground, "2026-03-02", "2026-03-18", "OBJ-2")
    [suspension] = _defaulters(policy, objected, "2026-03-20").suspensions
    assert (suspension.case, suspension.reason) == ("OBJ-2", "objection")


def test_an_appeal_decided_the_day_the_listing_is_suspended_suspends_nothing(
    policy: PolicySet,
) -> None:
    ledger = Ledger()
    ground = ledger.default("2026-01-05")
    ledger.step("remedy.listing_suspended", "2026-03-01", "OBJ-1", target=ground.id)
    ledger.step("remedy.appeal_decided", "2026-03-01", "OBJ-1", outcome="upheld", reasons="r",
                decided_by="x")  # fmt: skip
    assert due_process(ledger.records).holds == {}
    assert _defaulters(policy, ledger, "2026-03-05").suspensions == ()


def test_an_unanswered_objection_to_a_record_no_rule_scores_changes_no_score(
    policy: PolicySet,
) -> None:
    ledger = Ledger()
    ground = ledger.default("2026-01-05")
    fulfilled = ledger.add("judicial.judgment_fulfilled", "2026-02-01", {"case_no": "C2"})
    ledger.objection(fulfilled, "2026-03-02", "2026-03-18", "OBJ-1")
    assert list(due_process(ledger.records).holds) == [fulfilled.id]
    after = national(policy, ledger, "2026-03-25")
    assert [c.record_id for c in after.contributions] == [ground.id]
    assert after.expired == ()
