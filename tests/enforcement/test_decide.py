"""The check (docs/lists.md, "The check") on the shipped packs: entries, roles, measures."""

from __future__ import annotations

import datetime as dt

import pytest

from socialcredit.clock import day_of
from socialcredit.enforcement.decide import decide, roles_of
from socialcredit.enforcement.entries import entries_for
from socialcredit.enforcement.model import Decision, ListEntry
from socialcredit.engine.model import SubjectRef
from socialcredit.engine.records import effective_records
from socialcredit.engine.scope import scope_of
from socialcredit.policy.pack import default_packs
from socialcredit.policy.policy_set import PolicySet

from support.factories import org_id, person_id
from support.lists import ELSEWHERE, FIRM, Ledger
from support.packs import PERSON, day, instant

OTHER = SubjectRef(person_id(seq=5), "person")
FIRM2 = SubjectRef(org_id(code="MA3C4D5E7"), "enterprise")
ROLE_CATEGORIES = (
    "registry.legal_representative",
    "registry.controller",
    "registry.responsible_person",
)
ORGS = {FIRM.id: FIRM, FIRM2.id: FIRM2}


@pytest.fixture(scope="module")
def policy() -> PolicySet:
    return PolicySet(default_packs())


def check(
    policy: PolicySet,
    ledger: Ledger,
    action: str,
    on: str,
    subject: SubjectRef = PERSON,
    *,
    grades: dict[str, str] | None = None,
) -> Decision:
    """Steps 1-4 as a service would run them: own entries, roles, role entries, decide."""
    at = instant(on)
    grade_of = grades.get if grades is not None else None
    own = entries_for(policy, subject, ledger.records, at, None, grade_of)
    role_records = [r for r in ledger.records if r.category in ROLE_CATEGORIES]
    role_entries = [
        (role, org, entry)
        for role, org in roles_of(subject.id, role_records, at)
        for entry in entries_for(policy, ORGS[org], ledger.records, at)
    ]
    day = day_of(at)
    mine = effective_records(ledger.records, at, day, subject.id)
    place = scope_of(subject.kind, mine, day)
    return decide(policy, subject, action, own, role_entries, at, place=place)


def representative(ledger: Ledger, occurred: str, person: SubjectRef, **attrs: str) -> None:
    ledger.add(
        "registry.legal_representative", occurred, {"person": person.id, **attrs}, subject=FIRM
    )


# -- own entries -----------------------------------------------------------------------


def test_deny_during_an_active_entry(policy: PolicySet) -> None:
    ledger = Ledger()
    ground = ledger.default("2025-03-01")
    d = check(policy, ledger, "transport.air.ticket", "2025-04-15")
    assert d.outcome == "deny"
    [m] = d.measures
    assert (m.measure, m.effect, m.list, m.target, m.via) == (
        "hc_1_travel_class",
        "deny",
        "court_defaulters",
        "subject",
        None,
    )
    [entry] = d.entries
    assert m.entry == entry.id == f"court_defaulters:{PERSON.id}:C1"
    assert d.records == (ground.id,)
    assert d.legal_bases == (m.legal_basis, entry.legal_basis)
    assert "Fa Shi [2015] No. 17" in m.legal_basis and "Civil Aviation" in " ".join(m.agencies)
    assert (d.policy_version, d.at, d.known_at) == (
        policy.version,
        instant("2025-04-15"),
        instant("2025-04-15"),
    )
    assert d.subject == PERSON.id and d.action == "transport.air.ticket"
    # where to object: the ground record itself, with its case number
    [g] = d.grounds
    assert (g.record, g.case_no, g.entry) == (ground.id, "C1", entry.id)
    assert g.objection.command.startswith(
        f"socialcredit objections file {PERSON.id} --record {ground.id}"
    )


def test_allow_during_the_notice_period(policy: PolicySet) -> None:
    ledger = Ledger()
    ledger.default("2025-03-01")
    d = check(policy, ledger, "transport.air.ticket", "2025-03-15")
    assert (d.outcome, d.measures, d.entries, d.records) == ("allow", (), (), ())


def test_an_ended_entry_no_longer_counts(policy: PolicySet) -> None:
    ledger = Ledger()
    ledger.default("2025-03-01", ground="able_but_refuses")
    ledger.fulfilled("2025-06-01")
    assert check(policy, ledger, "transport.air.ticket", "2025-05-31").outcome == "deny"
    assert check(policy, ledger, "transport.air.ticket", "2025-06-01").outcome == "allow"


def test_stale_entries_are_judged_by_their_dates(policy: PolicySet) -> None:
    ledger = Ledger()
    ledger.default("2025-03-01")
    entries = entries_for(policy, PERSON, ledger.records, instant("2025-04-15"))
    assert [e.status for e in entries] == ["active"]
    after = instant("2027-04-01")  # past the 730-day term
    assert decide(policy, PERSON, "transport.air.ticket", entries, (), after).outcome == "allow"


def test_restrict_carries_its_condition(policy: PolicySet) -> None:
    ledger = Ledger()
    ledger.default("2025-03-01")
    d = check(policy, ledger, "transport.rail.high_speed", "2025-04-15")
    assert d.outcome == "restrict"
    [m] = d.measures
    assert m.measure == "hc_9_bullet_trains"
    assert m.condition is not None and "G-prefix" in m.condition


def test_an_action_no_measure_names_is_allowed(policy: PolicySet) -> None:
    ledger = Ledger()
    ledger.default("2025-03-01")
    assert check(policy, ledger, "transport.bus.ticket", "2025-04-15").outcome == "allow"


def test_one_act_on_two_lists_names_both_entries_once(policy: PolicySet) -> None:
    ledger = Ledger()
    ground = ledger.default("2025-03-01")
    order = ledger.add("judicial.consumption_restriction", "2025-03-01", {"case_no": "C1"})
    d = check(policy, ledger, "leisure.golf", "2025-04-15")
    assert d.outcome == "deny"
    assert [(m.measure, m.list) for m in d.measures] == [
        ("hc_2_luxury_venues", "court_defaulters"),
        ("hc_2_luxury_venues", "high_consumption_restricted"),
    ]
    assert [e.list for e in d.entries] == ["court_defaulters", "high_consumption_restricted"]
    assert d.records == (ground.id, order.id)
    assert len(d.legal_bases) == len(set(d.legal_bases))


# -- rewards ---------------------------------------------------------------------------


def test_a_red_list_rewards(policy: PolicySet) -> None:
    d = check(policy, Ledger(), "utilities.bill", "2026-03-01", grades={"rongcheng": "AAA"})
    assert d.outcome == "discount"
    [m] = d.measures
    assert (m.measure, m.list) == ("rc_heating_discount", "rongcheng_honour")
    assert m.condition is not None and "heating" in m.condition
    assert d.records == ()  # a grade-based entry has no ground record
    assert check(policy, Ledger(), "utilities.bill", "2026-03-01").outcome == "allow"


def test_rewards_never_override_punishments(policy: PolicySet) -> None:
    ledger = Ledger()
    ledger.default("2025-03-01")
    d = check(policy, ledger, "government.permit", "2025-04-15", grades={"rongcheng": "AAA"})
    assert d.outcome == "review"
    assert [(m.measure, m.effect) for m in d.measures] == [
        ("permit_review", "review"),
        ("rc_service_priority", "privilege"),
    ]


def test_an_enterprise_on_red_and_black_lists_is_reviewed(policy: PolicySet) -> None:
    ledger = Ledger()
    ledger.add("tax.credit_grade", "2025-04-16", {"year": 2024, "grade": "A"}, subject=FIRM)
    assert check(policy, ledger, "government.permit", "2025-05-01", FIRM).outcome == "privilege"
    ledger.default("2025-03-01", subject=FIRM)
    d = check(policy, ledger, "government.permit", "2025-05-01", FIRM)
    assert d.outcome == "review"
    assert {m.measure for m in d.measures} == {"permit_review", "permit_green_channel"}


def test_municipal_measures_apply_in_their_city_only(policy: PolicySet) -> None:
    entry = ListEntry(
        id=f"rongcheng_honour:{ELSEWHERE.id}:rongcheng:AAA",
        list="rongcheng_honour",
        kind="red",
        subject=ELSEWHERE.id,
        act_key="rongcheng:AAA",
        ground_record=None,
        authority="x",
        legal_basis="x",
        pending_from=day("2026-03-01"),
        effective_from=day("2026-03-01"),
        ends_at=day("2026-03-02"),
        end=day("2026-03-02"),
        status="active",
        pack="rongcheng",
    )
    at = instant("2026-03-01")
    assert decide(policy, ELSEWHERE, "utilities.bill", [entry], (), at).outcome == "allow"


# -- roles (2015 provisions art. 3 para. 2) ------------------------------------------------


def test_the_legal_representative_of_a_listed_enterprise_is_refused_a_flight(
    policy: PolicySet,
) -> None:
    ledger = Ledger()
    representative(ledger, "2020-01-01", PERSON)
    ledger.default("2025-03-01", subject=FIRM)
    d = check(policy, ledger, "transport.air.ticket", "2025-04-15")
    assert d.outcome == "deny"
    [m] = d.measures
    assert (m.measure, m.target, m.via) == ("hc_1_travel_class", "legal_representative", FIRM.id)
    assert d.entries[0].subject == FIRM.id
    # someone holding no role is not reached
    assert check(policy, ledger, "transport.air.ticket", "2025-04-15", OTHER).outcome == "allow"
    # a measure targeting the subject only does not reach the representative
    assert check(policy, ledger, "procurement.bid", "2025-04-15").outcome == "allow"
    assert check(policy, ledger, "procurement.bid", "2025-04-15", FIRM).outcome == "deny"


def test_a_new_legal_representative_replaces_the_old(policy: PolicySet) -> None:
    ledger = Ledger()
    representative(ledger, "2020-01-01", PERSON)
    ledger.default("2025-03-01", subject=FIRM)
    representative(ledger, "2025-04-01", OTHER)
    assert check(policy, ledger, "transport.air.ticket", "2025-04-15").outcome == "allow"
    assert check(policy, ledger, "transport.air.ticket", "2025-04-15", OTHER).outcome == "deny"


def test_a_role_ends_on_its_ended_day(policy: PolicySet) -> None:
    ledger = Ledger()
    representative(ledger, "2020-01-01", PERSON, ended="2025-05-01")
    ledger.default("2025-03-01", subject=FIRM)
    assert check(policy, ledger, "transport.air.ticket", "2025-04-30").outcome == "deny"
    assert check(policy, ledger, "transport.air.ticket", "2025-05-01").outcome == "allow"


@pytest.mark.parametrize(
    ("category", "attrs", "role"),
    [
        ("registry.controller", {}, "controller"),
        ("registry.responsible_person", {"role": "principal_manager"}, "principal_manager"),
        ("registry.responsible_person", {"role": "directly_responsible"}, "directly_responsible"),
    ],
)
def test_managers_and_controllers_are_reached(
    policy: PolicySet, category: str, attrs: dict[str, str], role: str
) -> None:
    ledger = Ledger()
    ledger.add(category, "2020-01-01", {"person": PERSON.id, **attrs}, subject=FIRM)
    ledger.add("judicial.consumption_restriction", "2025-03-01", {"case_no": "C9"}, subject=FIRM)
    d = check(policy, ledger, "leisure.tourism", "2025-04-15")
    assert d.outcome == "deny"
    assert [(m.target, m.via, m.list) for m in d.measures] == [
        (role, FIRM.id, "high_consumption_restricted")
    ]


def test_role_entries_reach_persons_only(policy: PolicySet) -> None:
    ledger = Ledger()
    ledger.default("2025-03-01", subject=FIRM)
    at = instant("2025-04-15")
    [entry] = entries_for(policy, FIRM, ledger.records, at)
    roles = [("legal_representative", FIRM.id, entry)]
    assert decide(policy, FIRM2, "transport.air.ticket", [], roles, at).outcome == "allow"
    assert decide(policy, PERSON, "transport.air.ticket", [], roles, at).outcome == "deny"


def test_roles_of_reads_effective_role_records(policy: PolicySet) -> None:
    ledger = Ledger()
    representative(ledger, "2020-01-01", PERSON)
    ledger.add("registry.controller", "2021-01-01", {"person": PERSON.id}, subject=FIRM2)
    wrong = ledger.add(
        "registry.responsible_person",
        "2021-01-01",
        {"person": PERSON.id, "role": "principal_manager"},
        subject=FIRM2,
    )
    ledger.add(
        "registry.responsible_person",
        "2021-01-01",
        {"person": PERSON.id, "role": "principal_manager"},
        subject=FIRM2,
        supersedes=wrong,
        withdrawn=True,
    )
    late = ledger.add(
        "registry.controller",
        "2021-01-01",
        {"person": PERSON.id},
        subject=FIRM,
        recorded="2025-06-01T00:00:00",
    )
    at = instant("2025-04-15")
    expected = sorted([("legal_representative", FIRM.id), ("controller", FIRM2.id)],
                      key=lambda h: (h[1], h[0]))  # fmt: skip
    assert roles_of(PERSON.id, ledger.records, at) == expected
    known = dt.datetime(2025, 7, 1)
    # two roles in one organisation: by organisation, then by role
    assert roles_of(PERSON.id, ledger.records, at, known) == sorted(
        [("controller", FIRM.id), ("legal_representative", FIRM.id), ("controller", FIRM2.id)],
        key=lambda h: (h[1], h[0]),
    )
    assert late.subject == FIRM.id
    assert roles_of(OTHER.id, ledger.records, at) == []
