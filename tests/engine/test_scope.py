"""Grades, consent, scope, supersession and the two times (docs/engine.md steps 1-5, 12)."""

from __future__ import annotations

import datetime as dt

import pytest

from socialcredit.engine.model import LedgerRecord

from support.engine import Ledger, assess, scheme_of, score
from support.packs import ONE_RULE, ORG, PERSON, SCHEME, instant, make_policy

# -- grades --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "grade"),
    [(10, "A"), (10.0001, "B"), (30, "B"), (30.0001, "C"), (60, "C"), (61, "D"), (500, "D")],
)
def test_grade_bands_include_their_minimum(amount: float, grade: str) -> None:
    policy = make_policy(
        "rules:\n  - {id: r, scheme: s, category: test.offence, points: -1, per: amount}"
    )
    ledger = Ledger()
    ledger.add("test.offence", "2026-01-01", {"amount": amount})
    assert scheme_of(assess(policy, ledger.records)).grade == grade


def test_grade_cap_holds_while_its_rule_counts() -> None:
    policy = make_policy(
        """
        rules:
          - {id: capped, scheme: s, category: test.minor, points: -1, effect_days: 30,
             grade_cap: C}
          - {id: lenient_cap, scheme: s, category: test.offence, points: -1, grade_cap: B}
        """
    )
    ledger = Ledger()
    ledger.add("test.minor", "2026-02-01")
    ledger.add("test.offence", "2026-02-01")
    assert scheme_of(assess(policy, ledger.records, "2026-03-02")).grade == "C"  # worst cap
    assert scheme_of(assess(policy, ledger.records, "2026-03-03")).grade == "B"
    # a cap never raises a grade
    worse = Ledger()
    worse.add("test.offence", "2026-02-01", {"case_no": "1"})
    worse.add("test.related", "2026-02-01")
    rules = "rules:\n  - {id: d, scheme: s, category: test.related, points: -70}\n"
    rules += "  - {id: b, scheme: s, category: test.offence, points: -1, grade_cap: B}\n"
    assert scheme_of(assess(make_policy(rules), worse.records)).grade == "D"


# -- consent -------------------------------------------------------------------------

CONSENT_SCHEME = """
schemes:
  s:
    title: Points
    kind: points
    consent: true
    subjects: [person]
    base: 1000
    bands:
      - {grade: A, min: 1000}
      - {grade: B}
rules:
  - {id: r, scheme: s, category: test.reward, points: 5}
"""


def _consent(ledger: Ledger, occurred: str, given: bool, scheme: str = "s") -> LedgerRecord:
    return ledger.add("registry.consent", occurred, {"scheme": scheme, "given": given})


def test_without_consent_a_consent_scheme_does_not_score() -> None:
    policy = make_policy("", scheme=CONSENT_SCHEME)
    ledger = Ledger()
    ledger.add("test.reward", "2026-01-01")
    _consent(ledger, "2026-01-01", True, scheme="another")
    result = scheme_of(assess(policy, ledger.records))
    assert result.status == "no_consent"
    assert (result.score_units, result.score, result.grade) == (None, None, None)
    assert set(result.domain_units.values()) == {0}
    assert result.contributions == ()


def test_consent_given_then_withdrawn() -> None:
    policy = make_policy("", scheme=CONSENT_SCHEME)
    ledger = Ledger()
    ledger.add("test.reward", "2026-01-01")
    _consent(ledger, "2026-01-05", True)
    given = scheme_of(assess(policy, ledger.records, "2026-02-01"))
    assert (given.status, given.score_units, given.grade) == ("scored", 1005 * 10_000, "A")
    _consent(ledger, "2026-02-10", False)
    assert scheme_of(assess(policy, ledger.records, "2026-02-09")).status == "scored"
    assert scheme_of(assess(policy, ledger.records, "2026-02-10")).status == "no_consent"


def test_the_latest_consent_is_by_occurrence_then_seq() -> None:
    policy = make_policy("", scheme=CONSENT_SCHEME)
    ledger = Ledger()
    _consent(ledger, "2026-01-10", True)
    _consent(ledger, "2026-01-01", False)  # reported later, happened earlier
    assert scheme_of(assess(policy, ledger.records)).status == "scored"
    _consent(ledger, "2026-01-10", False)  # same day, higher seq: wins
    assert scheme_of(assess(policy, ledger.records)).status == "no_consent"


def test_a_withdrawn_consent_record_no_longer_counts() -> None:
    policy = make_policy("", scheme=CONSENT_SCHEME)
    ledger = Ledger()
    _consent(ledger, "2026-01-01", True)
    no = _consent(ledger, "2026-01-10", False)
    ledger.add("registry.consent", "2026-01-10", withdrawn=True, supersedes=no)
    assert scheme_of(assess(policy, ledger.records)).status == "scored"


# -- scope ---------------------------------------------------------------------------


def test_scope_by_subject_kind() -> None:
    scheme = SCHEME.replace("[person, enterprise]", "[enterprise]")
    policy = make_policy(ONE_RULE, scheme=scheme)
    assert assess(policy, []).schemes == {}
    assert set(assess(policy, [], subject=ORG).schemes) == {"s"}


@pytest.mark.parametrize(
    ("jurisdiction", "area", "covered"),
    [
        ("national", "650102", True),
        ("370000", "371082", True),  # a province covers its cities and counties
        ("370000", "110105", False),
        ("371000", "371082", True),  # a city covers its counties
        ("371000", "371100", False),
        ("371082", "371082", True),  # a county covers itself only
        ("371082", "371083", False),
    ],
)
def test_scope_by_jurisdiction(jurisdiction: str, area: str, covered: bool) -> None:
    policy = make_policy(ONE_RULE, jurisdiction=jurisdiction)
    ledger = Ledger()
    ledger.add("registry.residence", "2020-01-01", {"area": area, "since": "2020-01-01"})
    result = assess(policy, ledger.records)
    assert ("s" in result.schemes) is covered
    assert (result.subject, result.kind, result.jurisdiction) == (PERSON.id, "person", area)


# -- supersession and the two times --------------------------------------------------


def test_a_correction_replaces_and_a_withdrawal_removes() -> None:
    policy = make_policy(
        "rules:\n  - {id: r, scheme: s, category: test.offence, points: -1, per: amount}"
    )
    ledger = Ledger()
    first = ledger.add("test.offence", "2026-01-01", {"amount": 10})
    corrected = ledger.add("test.offence", "2026-01-01", {"amount": 4}, supersedes=first)
    result = scheme_of(assess(policy, ledger.records))
    assert result.score_units == 96 * 10_000
    assert [c.record_id for c in result.contributions] == [corrected.id]
    ledger.add("test.offence", "2026-01-01", withdrawn=True, supersedes=corrected)
    assert score(policy, ledger.records) == 100


def test_a_chain_of_corrections_leaves_the_last() -> None:
    policy = make_policy(
        "rules:\n  - {id: r, scheme: s, category: test.offence, points: -1, per: amount}"
    )
    ledger = Ledger()
    r1 = ledger.add("test.offence", "2026-01-01", {"amount": 10})
    r2 = ledger.add("test.offence", "2026-01-01", {"amount": 20}, supersedes=r1)
    r3 = ledger.add("test.offence", "2026-01-01", {"amount": 30}, supersedes=r2)
    result = scheme_of(assess(policy, ledger.records))
    assert [c.record_id for c in result.contributions] == [r3.id]
    assert result.score_units == 70 * 10_000
    ledger.add("test.offence", "2026-01-01", withdrawn=True, supersedes=r3)
    assert score(policy, ledger.records) == 100


def test_as_of_a_day_before_a_record_occurred() -> None:
    ledger = Ledger()
    ledger.add("test.offence", "2026-02-10")
    policy = make_policy(ONE_RULE)
    assert score(policy, ledger.records, "2026-02-09") == 100
    assert score(policy, ledger.records, "2026-02-10") == 90


def test_what_we_knew_then_on_3_march() -> None:
    """A record of 1 February recorded on 10 March; a correction recorded on 20 March."""
    policy = make_policy(
        "rules:\n  - {id: r, scheme: s, category: test.offence, points: -1, per: amount}"
    )
    ledger = Ledger()
    first = ledger.add("test.offence", "2026-02-01", {"amount": 10}, recorded="2026-03-10T02:00")
    ledger.add(
        "test.offence", "2026-02-01", {"amount": 3}, recorded="2026-03-20T02:00", supersedes=first
    )

    def on_3_march(known: str) -> int | None:
        a = assess(policy, ledger.records, "2026-03-03", known_at=dt.datetime.fromisoformat(known))
        return scheme_of(a).score_units

    assert on_3_march("2026-03-03T04:00") == 100 * 10_000  # what we knew then
    assert on_3_march("2026-03-10T02:00") == 90 * 10_000  # recorded_at <= known_at counts
    assert on_3_march("2026-03-25T00:00") == 97 * 10_000  # with what we know now
    # known_at defaults to at
    assert scheme_of(assess(policy, ledger.records, "2026-03-03")).score_units == 100 * 10_000
    late = assess(policy, ledger.records, "2026-03-03", known_at=instant("2026-03-25"))
    assert late.known_at == instant("2026-03-25")


def test_records_of_other_subjects_are_ignored() -> None:
    ledger = Ledger()
    ledger.add("test.offence", "2026-01-01", subject=ORG)
    assert score(make_policy(ONE_RULE), ledger.records) == 100
