"""Role rules (`via`): an organisation's record scores the person holding the role (step 13)."""

from __future__ import annotations

import datetime as dt

from socialcredit.engine.incremental import RoleRecords
from socialcredit.engine.model import SubjectRef

from support.engine import Ledger, assess, scheme_of
from support.factories import org_id, person_id
from support.packs import ORG, PERSON, instant, make_policy

OTHER = SubjectRef(person_id(seq=5), "person")
ORG2 = SubjectRef(org_id(code="MA3C4D5E7"), "enterprise")

VIA = """
rules:
  - {id: own, scheme: s, category: test.offence, points: -10}
  - {id: lr, scheme: s, category: test.offence, points: -20, via: legal_representative,
     ended_by: [test.cleared]}
  - {id: ctl, scheme: s, category: test.related, points: -5, via: controller}
"""


def _lr(ledger: Ledger, occurred: str, person: SubjectRef, **attrs: str) -> None:
    ledger.add(
        "registry.legal_representative", occurred, {"person": person.id, **attrs}, subject=ORG
    )


def _roles(ledger: Ledger, *orgs: SubjectRef) -> list[RoleRecords]:
    return [RoleRecords(org, tuple(ledger.of(org))) for org in orgs or (ORG,)]


def _units(ledger: Ledger, on: str = "2026-03-01", person: SubjectRef = PERSON) -> int | None:
    result = assess(make_policy(VIA), ledger.of(person), on, subject=person, roles=_roles(ledger))
    return scheme_of(result).score_units


def test_the_legal_representative_is_scored_for_the_organisations_record() -> None:
    ledger = Ledger()
    _lr(ledger, "2025-01-01", PERSON)
    offence = ledger.add("test.offence", "2026-01-10", {"case_no": "X"}, subject=ORG)
    person = scheme_of(assess(make_policy(VIA), [], subject=PERSON, roles=_roles(ledger)))
    assert person.score_units == 80 * 10_000
    [c] = person.contributions
    assert (c.record_id, c.rule_id, c.via, c.act_key) == (offence.id, "lr", ORG.id, f"{ORG.id}:X")
    # the organisation itself is scored by the rule without `via` only
    org = scheme_of(assess(make_policy(VIA), ledger.of(ORG), subject=ORG))
    assert [(c.rule_id, c.via) for c in org.contributions] == [("own", None)]
    # someone holding no role is not scored
    assert _units(ledger, person=OTHER) == 100 * 10_000


def test_a_new_legal_representative_replaces_the_old() -> None:
    ledger = Ledger()
    _lr(ledger, "2025-01-01", PERSON)
    ledger.add("test.offence", "2025-06-01", {"case_no": "X"}, subject=ORG)
    _lr(ledger, "2026-02-01", OTHER)
    assert _units(ledger, "2026-01-31") == 80 * 10_000
    assert _units(ledger, "2026-02-01") == 100 * 10_000
    assert _units(ledger, "2026-02-01", person=OTHER) == 80 * 10_000


def test_a_role_ends_on_its_ended_day() -> None:
    ledger = Ledger()
    _lr(ledger, "2025-01-01", PERSON, ended="2026-02-01")
    ledger.add("test.offence", "2025-06-01", {"case_no": "X"}, subject=ORG)
    assert _units(ledger, "2026-01-31") == 80 * 10_000
    assert _units(ledger, "2026-02-01") == 100 * 10_000


def test_an_ended_newer_record_leaves_the_latest_current_one() -> None:
    """Records whose `ended` is past are set aside first; the latest of the rest counts."""
    ledger = Ledger()
    _lr(ledger, "2025-01-01", PERSON)
    _lr(ledger, "2025-06-01", OTHER, ended="2025-12-31")
    ledger.add("test.offence", "2025-09-01", {"case_no": "X"}, subject=ORG)
    assert _units(ledger, "2025-12-30") == 100 * 10_000
    assert _units(ledger, "2025-12-30", person=OTHER) == 80 * 10_000
    assert _units(ledger, "2026-01-05") == 80 * 10_000


def test_a_corrected_role_record_names_the_corrected_person() -> None:
    ledger = Ledger()
    wrong = ledger.add(
        "registry.legal_representative", "2025-01-01", {"person": OTHER.id}, subject=ORG
    )
    ledger.add(
        "registry.legal_representative",
        "2025-01-01",
        {"person": PERSON.id},
        subject=ORG,
        supersedes=wrong,
    )
    ledger.add("test.offence", "2025-06-01", {"case_no": "X"}, subject=ORG)
    assert _units(ledger) == 80 * 10_000
    assert _units(ledger, person=OTHER) == 100 * 10_000


def test_every_controller_is_scored() -> None:
    ledger = Ledger()
    ledger.add("registry.controller", "2025-01-01", {"person": PERSON.id}, subject=ORG)
    ledger.add("registry.controller", "2025-03-01", {"person": OTHER.id}, subject=ORG)
    ledger.add("test.related", "2025-06-01", {"case_no": "Y"}, subject=ORG)
    assert _units(ledger) == 95 * 10_000
    assert _units(ledger, person=OTHER) == 95 * 10_000


def test_role_acts_never_merge_with_the_persons_own_or_another_organisations() -> None:
    ledger = Ledger()
    _lr(ledger, "2025-01-01", PERSON)
    ledger.add("registry.legal_representative", "2025-01-01", {"person": PERSON.id}, subject=ORG2)
    ledger.add("test.offence", "2026-01-10", {"case_no": "X"})  # the person's own
    ledger.add("test.offence", "2026-01-10", {"case_no": "X"}, subject=ORG)
    ledger.add("test.offence", "2026-01-10", {"case_no": "X"}, subject=ORG2)
    result = assess(make_policy(VIA), ledger.of(PERSON), roles=_roles(ledger, ORG, ORG2))
    s = scheme_of(result)
    assert s.score_units == (100 - 10 - 20 - 20) * 10_000
    assert sorted(c.act_key for c in s.contributions) == sorted(
        ["X", f"{ORG.id}:X", f"{ORG2.id}:X"]
    )


def test_one_role_act_counts_once_even_when_the_person_holds_two_roles() -> None:
    rules = (
        VIA + "  - {id: ctl2, scheme: s, category: test.offence, points: -15, via: controller}\n"
    )
    ledger = Ledger()
    _lr(ledger, "2025-01-01", PERSON)
    ledger.add("registry.controller", "2025-01-01", {"person": PERSON.id}, subject=ORG)
    ledger.add("test.offence", "2026-01-10", {"case_no": "X"}, subject=ORG)
    s = scheme_of(assess(make_policy(rules), [], roles=_roles(ledger)))
    assert [c.rule_id for c in s.contributions] == ["lr"]
    assert [(m.rule_id, m.into) for m in s.merged] == [("ctl2", s.contributions[0].record_id)]


def test_ended_by_is_looked_for_among_the_organisations_records() -> None:
    ledger = Ledger()
    _lr(ledger, "2025-01-01", PERSON)
    ledger.add("test.offence", "2025-06-01", {"case_no": "X"}, subject=ORG)
    ledger.add("test.cleared", "2025-08-01", {"case_no": "X"})  # the person's: not this act
    assert _units(ledger) == 80 * 10_000
    ledger.add("test.cleared", "2025-09-01", {"case_no": "X"}, subject=ORG)
    s = scheme_of(assess(make_policy(VIA), [], roles=_roles(ledger)))
    assert s.score_units == 100 * 10_000
    assert [(e.rule_id, e.end, e.reason) for e in s.expired] == [
        ("lr", dt.date(2025, 9, 1), "ended_by")
    ]


def test_role_records_obey_both_times() -> None:
    ledger = Ledger()
    ledger.add(
        "registry.legal_representative",
        "2025-01-01",
        {"person": PERSON.id},
        subject=ORG,
        recorded="2026-02-15T00:00:00",
    )
    ledger.add("test.offence", "2025-06-01", {"case_no": "X"}, subject=ORG)

    def units(known: str) -> int | None:
        a = assess(
            make_policy(VIA),
            [],
            known_at=instant(known),
            roles=_roles(ledger),
        )
        return scheme_of(a).score_units

    assert units("2026-02-14") == 100 * 10_000
    assert units("2026-02-15") == 80 * 10_000
