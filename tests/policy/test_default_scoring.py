"""The shipped scoring content: it loads, lints clean and carries the published figures.

The figures are read back from the engine: one record about a subject placed in the
pack's area (support/lists.py), assessed by the incremental engine on the day it
occurred, moves the scheme's score by exactly the points the pack's YAML gives.
"""

from __future__ import annotations

import pytest

from socialcredit.engine.incremental import evaluate_subject
from socialcredit.engine.model import SubjectRef
from socialcredit.policy.lint import lint_packs
from socialcredit.policy.pack import Pack, default_packs, merge_catalogue
from socialcredit.policy.policy_set import PolicySet
from socialcredit.policy.predicate import evaluate
from socialcredit.policy.rules import Rule, Scheme

from support.lists import FIRM, PERSON, Ledger
from support.packs import instant

ON = "2026-01-10"


@pytest.fixture(scope="module")
def packs() -> dict[str, Pack]:
    return {p.name: p for p in default_packs()}


@pytest.fixture(scope="module")
def policy(packs: dict[str, Pack]) -> PolicySet:
    return PolicySet(list(packs.values()))


def _scheme(packs: dict[str, Pack], pack: str, name: str) -> Scheme:
    return packs[pack].scoring.schemes[name]


def _rule(packs: dict[str, Pack], pack: str, rule_id: str) -> Rule:
    return next(r for r in packs[pack].scoring.rules if r.id == rule_id)


def _placed() -> Ledger:
    """PERSON (an adult who consented to the Rongcheng scheme) in Rongcheng, FIRM too."""
    ledger = Ledger()
    ledger.add("registry.person", "2010-01-01", {"name": "张三", "birth_date": "1990-05-12"})
    ledger.add("registry.consent", "2020-01-01", {"scheme": "rongcheng", "given": True})
    return ledger


def _points(
    policy: PolicySet,
    scheme: str,
    category: str,
    attributes: dict[str, object],
    subject: SubjectRef = PERSON,
) -> float:
    """The change of ``scheme``'s score the engine makes for one record on its day."""
    ledger = _placed()
    before = evaluate_subject(policy, subject, ledger.of(subject), instant(ON), None, ())
    ledger.add(category, ON, dict(attributes), subject=subject)
    after = evaluate_subject(policy, subject, ledger.of(subject), instant(ON), None, ())
    old, new = before.schemes[scheme].score_units, after.schemes[scheme].score_units
    assert old is not None and new is not None, f"{subject.id} is not scored by {scheme}"
    return (new - old) / 10_000


def test_the_three_packs_load_and_lint_clean_together(packs: dict[str, Pack]) -> None:
    assert set(packs) == {"national", "food-drug", "rongcheng"}
    assert lint_packs(list(packs.values())) == []


def test_every_scheme_has_rules_and_every_rule_a_known_category(packs: dict[str, Pack]) -> None:
    catalogue = merge_catalogue(packs.values())
    schemes = {(p.name, s) for p in packs.values() for s in p.scoring.schemes}
    assert schemes == {
        ("national", "national"),
        ("national", "tax"),
        ("rongcheng", "rongcheng"),
        ("food-drug", "food_drug"),
    }
    for pack in packs.values():
        used = {r.scheme for r in pack.scoring.rules}
        assert used == set(pack.scoring.schemes), pack.name
        for scheme in pack.scoring.schemes.values():
            assert scheme.legal_basis, scheme.name
        for rule in pack.scoring.rules:
            assert rule.category in catalogue, rule.id
            assert rule.legal_basis, rule.id


def test_the_national_grade_covers_all_four_domains(packs: dict[str, Pack]) -> None:
    catalogue = merge_catalogue(packs.values())
    rules = [r for r in packs["national"].scoring.rules if r.scheme == "national"]
    domains = {r.domain or catalogue[r.category].domain for r in rules}
    assert domains == {"government", "commercial", "social", "judicial"}
    assert any(r.repeat for r in rules) and any(r.decay for r in rules)
    assert any(r.grade_cap for r in rules)
    default = _rule(packs, "national", "nat.judgment_default")
    assert default.ended_by == ("judicial.judgment_fulfilled",)
    assert _rule(packs, "national", "nat.loan_default").per == "months_overdue"
    abnormal = _rule(packs, "national", "nat.abnormal_operation")
    assert abnormal.ended_by == ("market.abnormal_operation_cleared",)


def test_tax_grades_use_the_published_thresholds(packs: dict[str, Pack]) -> None:
    tax = _scheme(packs, "national", "tax")
    assert tax.base == 100 and tax.subjects == ("enterprise",)
    assert [(b.grade, b.min) for b in tax.bands] == [("A", 90), ("B", 70), ("C", 40), ("D", None)]
    grades = "".join(tax.grade_for(s) for s in (100, 90, 89.9, 70, 69, 40, 39.9))
    assert grades == "AABBCCD"
    evasion = [r for r in packs["national"].scoring.rules if r.category == "tax.evasion"]
    assert any(r.scheme == "tax" and r.grade_cap == "D" for r in evasion)
    assert any(
        r.scheme == "tax" and r.category == "tax.arrears" for r in packs["national"].scoring.rules
    )


def test_rongcheng_points_follow_attachment_1(packs: dict[str, Pack], policy: PolicySet) -> None:
    scheme = _scheme(packs, "rongcheng", "rongcheng")
    assert (scheme.kind, scheme.consent, scheme.base, scheme.subjects) == (
        "points",
        True,
        1000,
        ("person",),
    )
    assert [b.grade for b in scheme.bands] == ["AAA", "AA", "A", "B", "C", "D"]
    assert scheme.grade_for(1000) == "A"

    def pts(category: str, **attributes: object) -> float:
        return _points(policy, "rongcheng", category, attributes)

    loan = {"contract_no": "L1", "amount": 5000.0, "months_overdue": 3}
    assert pts("finance.loan_default", contract="loan", **loan) == -20
    assert pts("finance.loan_default", contract="guarantee", **loan) == -20
    assert pts("finance.loan_default", contract="credit_card", **loan) == -30  # -10 x 3 cycles
    assert pts("judicial.civil_breach", case_no="C1", contract="sale") == -50
    assert pts("finance.illegal_fundraising", decision_no="F1") == -40
    assert pts("social.utility_arrears", account_no="A", utility="water", months=2) == -20
    assert (
        pts("social.utility_arrears", account_no="A", utility="gas", months=2, court_found=True)
        == -50
    )
    assert pts("social.utility_theft", decision_no="T", utility="electricity") == -60
    assert pts("social.public_facility_damage", decision_no="D", facility="lamp") == -100
    assert pts("transport.traffic_violation", ticket_no="T", offence="speeding") == -5
    assert pts("civic.heroic_act", decision_no="H", level="county") == 30
    assert pts("civic.blood_donation", volume_ml=400) == 5  # modelled: +5 a donation
    assert pts("civic.volunteer_hours", hours=10.0, activity="environment") == 2  # 0.2 x 10


def test_rongcheng_drunk_driving_is_a_deduction_to_grade_c_not_a_cap(
    packs: dict[str, Pack], policy: PolicySet
) -> None:
    assert all(r.grade_cap is None for r in packs["rongcheng"].scoring.rules)
    ledger = _placed()
    ledger.add("transport.drunk_driving", ON, {"ticket_no": "X"})
    found = evaluate_subject(policy, PERSON, ledger.of(PERSON), instant(ON), None, ())
    rongcheng = found.schemes["rongcheng"]
    assert (rongcheng.score_units, rongcheng.grade) == (800 * 10_000, "C")  # 1000 - 200


def test_food_drug_floors_and_counterfeit_cap(packs: dict[str, Pack], policy: PolicySet) -> None:
    scoring = packs["food-drug"].scoring
    assert scoring.effect_periods.sector_minimum == {"food": 365, "drugs": 365}
    scheme = scoring.schemes["food_drug"]
    assert scheme.base == 100 and scheme.subjects == ("enterprise",)
    for rule in scoring.rules:
        assert rule.effect_days is None or rule.effect_days >= 365, rule.id
    food = {"decision_no": "F", "product": "milk"}
    harms = ["none_found", "illness", "serious_illness", "death"]
    points = [
        _points(policy, "food_drug", "market.food_safety_violation", {**food, "harm": h}, FIRM)
        for h in harms
    ]
    assert points == [-20, -40, -60, -100]  # the larger harm's rule, not the sum
    counterfeit = _rule(packs, "food-drug", "fd.drug_counterfeit")
    assert counterfeit.grade_cap == "D"
    assert evaluate(counterfeit.when, {"counterfeit": True})
