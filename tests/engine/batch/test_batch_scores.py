"""The batch engine's compiled SQL on DuckDB, steps 5 and 7-13 of docs/engine.md: one act
once, repeats, decay, units, grades and caps, consent and roles. (Steps 1-6 and the shared
helpers are in support/batch.py and support/packs.py.)"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from socialcredit.engine.model import to_units

from support.batch import Book, points, units
from support.packs import ONE_RULE, ORG, OTHER, PERSON, SCHEME, VIA, make_policy


@pytest.fixture
def book() -> Book:
    return Book()


# -- steps 7-10 ---------------------------------------------------------------------------


def test_the_representative_has_the_largest_points_then_the_earliest(
    book: Book, tmp_path: Path
) -> None:
    rules = """
    rules:
      - {id: big, scheme: s, category: test.offence, points: -20, effect_days: 30}
      - {id: small, scheme: s, category: test.related, points: 5}
    """
    # the larger |p| expired: the act counts nothing though a smaller match is active
    book.add("test.offence", "2025-12-01", {"case_no": "A"})
    book.add("test.related", "2026-02-01", {"case_no": "A"})
    assert units(book.evaluate(make_policy(rules), tmp_path)) == points(100)


def test_ties_go_to_the_earlier_record_then_the_rule_listed_first(tmp_path: Path) -> None:
    rules = """
    rules:
      - {id: a, scheme: s, category: test.offence, points: -10, effect_days: 100, domain: social}
      - {id: b, scheme: s, category: test.offence, points: 10, effect_days: 100, domain: judicial}
    """
    book = Book()
    book.add("test.offence", "2026-01-01", {"case_no": "A"})
    row = book.evaluate(make_policy(rules), tmp_path)[(PERSON.id, "s")]
    assert (row["social_units"], row["judicial_units"]) == (points(-10), 0)


def test_on_a_tie_the_lower_seq_wins_before_the_rule_listed_first(tmp_path: Path) -> None:
    rules = """
    rules:
      - {id: a, scheme: s, category: test.related, points: -10, domain: social}
      - {id: b, scheme: s, category: test.offence, points: 10, domain: judicial}
    """
    book = Book()
    book.add("test.offence", "2026-01-01", {"case_no": "A"})  # seq 1, rule b (listed second)
    book.add("test.related", "2026-01-01", {"case_no": "A"})  # seq 2, rule a
    row = book.evaluate(make_policy(rules), tmp_path)[(PERSON.id, "s")]
    assert (row["social_units"], row["judicial_units"]) == (0, points(10))


def test_repeats_escalate_once_within_the_previous_effect_period(
    book: Book, tmp_path: Path
) -> None:
    rules = """
    rules:
      - {id: r, scheme: s, category: test.minor, points: -2, effect_days: 90,
         repeat: {multiplier: 3}}
      - {id: o, scheme: s, category: test.offence, points: -1, effect_days: 400,
         repeat: {multiplier: 2}}
    """
    book.add("test.minor", "2025-10-01")  # expired; still the previous of the next
    book.add("test.minor", "2025-12-29")  # within 90 days of 10-01: x3
    book.add("test.minor", "2026-02-01")  # within 90 days of 12-29: x3 again, not x9
    book.add("test.offence", "2025-01-01", {"case_no": "A"})
    book.add("test.offence", "2026-02-04", {"case_no": "B"})  # 2025-01-01 + 400 days > it: x2
    book.add("test.offence", "2026-02-09", {"case_no": "C"})  # 02-04 + 400 days > it: x2
    expected = 100 - 6 - 6 - 2 - 2
    assert units(book.evaluate(make_policy(rules), tmp_path)) == points(expected)


def test_decay_and_rounding_match_the_python_definition(book: Book, tmp_path: Path) -> None:
    rules = """
    rules:
      - {id: d, scheme: s, category: test.offence, points: -7.77777, decay: {half_life_days: 45.5}}
      - {id: h, scheme: s, category: test.minor, points: -0.00005}
      - {id: g, scheme: s, category: test.food, points: 0.00004999}
    """
    book.add("test.offence", "2025-11-17")
    book.add("test.minor", "2026-02-01")
    book.add("test.food", "2026-02-01")
    age = (dt.date(2026, 3, 1) - dt.date(2025, 11, 17)).days
    expected = points(100) + to_units(-7.77777 * 1.0 * 0.5 ** (age / 45.5)) - 1 + 0
    assert units(book.evaluate(make_policy(rules), tmp_path)) == expected


# -- steps 11-12: scores, grades, caps -----------------------------------------------------


@pytest.mark.parametrize(
    ("penalty", "grade"), [(10, "A"), (10.0001, "B"), (30, "B"), (60.0001, "D"), (200, "D")]
)
def test_band_minima_are_inclusive(penalty: float, grade: str, book: Book, tmp_path: Path) -> None:
    rules = f"""
    rules:
      - {{id: r, scheme: s, category: test.offence, points: {-penalty}}}
    """
    book.add("test.offence", "2026-01-01")
    assert book.evaluate(make_policy(rules), tmp_path)[(PERSON.id, "s")]["grade"] == grade


def test_grade_caps_apply_while_their_rule_counts(book: Book, tmp_path: Path) -> None:
    rules = """
    rules:
      - {id: c, scheme: s, category: test.minor, points: -1, effect_days: 30, grade_cap: C}
      - {id: b, scheme: s, category: test.offence, points: -1, grade_cap: B}
      - {id: x, scheme: s, category: test.food, points: -1, grade_cap: Z}
    """
    book.add("test.minor", "2026-02-15")
    book.add("test.offence", "2026-02-15")
    book.add("test.food", "2026-02-15")  # a cap that is no grade of the scheme is ignored
    policy = make_policy(rules)
    assert book.evaluate(policy, tmp_path / "a")[(PERSON.id, "s")]["grade"] == "C"
    later = book.evaluate(policy, tmp_path / "b", on="2026-03-20")
    assert later[(PERSON.id, "s")]["grade"] == "B"


def test_scores_are_exact_sums_of_units(book: Book, tmp_path: Path) -> None:
    rules = """
    rules:
      - {id: r, scheme: s, category: test.minor, points: 0.1}
    """
    for _ in range(10):
        book.add("test.minor", "2026-02-01")
    row = book.evaluate(make_policy(rules), tmp_path)[(PERSON.id, "s")]
    assert row["score_units"] == points(101) and row["commercial_units"] == points(1)


def test_a_repeat_on_the_day_the_previous_period_ends_does_not_escalate(
    book: Book, tmp_path: Path
) -> None:
    rules = """
    rules:
      - {id: r, scheme: s, category: test.minor, points: -2, effect_days: 30,
         repeat: {multiplier: 3}}
    """
    book.add("test.minor", "2026-01-01")
    book.add("test.minor", "2026-01-31")  # 01-01 + 30 days = 01-31: not after it
    assert units(book.evaluate(make_policy(rules), tmp_path)) == points(98)


# -- step 5: consent ----------------------------------------------------------------------

CONSENT_SCHEME = SCHEME.replace("base: 100", "base: 100\n    consent: true")


def test_a_consent_scheme_scores_only_subjects_whose_latest_consent_is_given(
    tmp_path: Path,
) -> None:
    book = Book(PERSON, OTHER)
    book.add("registry.consent", "2025-01-01", {"scheme": "s", "given": True})
    book.add("registry.consent", "2025-06-01", {"scheme": "s", "given": False})
    book.add("registry.consent", "2025-06-01", {"scheme": "s", "given": True})  # later seq
    book.add("registry.consent", "2025-07-01", {"scheme": "other", "given": False})
    book.add("test.offence", "2026-01-01")
    book.add("registry.consent", "2025-01-01", {"scheme": "s", "given": True}, subject=OTHER)
    withdrawn = book.add(
        "registry.consent", "2026-01-01", {"scheme": "s", "given": False}, subject=OTHER
    )
    policy = make_policy(ONE_RULE, scheme=CONSENT_SCHEME)
    result = book.evaluate(policy, tmp_path / "a")
    assert units(result) == points(90)
    assert result[(OTHER.id, "s")] == {
        "subject": OTHER.id,
        "scheme": "s",
        "status": "no_consent",
        "score_units": None,
        "government_units": 0,
        "commercial_units": 0,
        "social_units": 0,
        "judicial_units": 0,
        "grade": None,
        "area": None,
    }
    book.add("registry.consent", "2026-01-01", supersedes=withdrawn, withdrawn=True, subject=OTHER)
    assert units(book.evaluate(policy, tmp_path / "b"), OTHER) == points(100)


# -- step 13: roles -------------------------------------------------------------------------


def test_the_legal_representative_is_scored_for_the_organisations_record(
    tmp_path: Path,
) -> None:
    book = Book(PERSON, OTHER, ORG)
    book.add("registry.legal_representative", "2025-01-01", {"person": PERSON.id}, subject=ORG)
    book.add("test.offence", "2026-01-10", {"case_no": "X"}, subject=ORG)
    book.add("test.offence", "2026-01-10", {"case_no": "X"})  # the person's own, same case no.
    result = book.evaluate(make_policy(VIA), tmp_path)
    assert units(result) == points(100 - 10 - 20)  # the org's act is not the person's
    assert units(result, ORG) == points(90)  # the org is scored by `own` only
    assert units(result, OTHER) == points(100)


def test_a_new_legal_representative_replaces_the_old_and_roles_end(tmp_path: Path) -> None:
    book = Book(PERSON, OTHER, ORG)
    book.add("registry.legal_representative", "2025-01-01", {"person": PERSON.id}, subject=ORG)
    book.add("test.offence", "2025-06-01", {"case_no": "X"}, subject=ORG)
    book.add(
        "registry.legal_representative",
        "2026-02-01",
        {"person": OTHER.id, "ended": "2026-02-20"},
        subject=ORG,
    )
    policy = make_policy(VIA)
    before = book.evaluate(policy, tmp_path / "a", on="2026-01-31")
    assert (units(before), units(before, OTHER)) == (points(80), points(100))
    during = book.evaluate(policy, tmp_path / "b", on="2026-02-19")
    assert (units(during), units(during, OTHER)) == (points(100), points(80))
    # once the newer record's `ended` is past, the latest current record names PERSON again
    after = book.evaluate(policy, tmp_path / "c", on="2026-02-20")
    assert (units(after), units(after, OTHER)) == (points(80), points(100))


def test_controllers_are_all_counted_and_ended_by_reads_the_organisations_records(
    tmp_path: Path,
) -> None:
    book = Book(PERSON, OTHER, ORG)
    book.add("registry.controller", "2025-01-01", {"person": PERSON.id}, subject=ORG)
    book.add("registry.controller", "2025-02-01", {"person": OTHER.id}, subject=ORG)
    book.add("registry.controller", "2025-03-01", {"person": OTHER.id}, subject=ORG)
    book.add("registry.legal_representative", "2025-01-01", {"person": OTHER.id}, subject=ORG)
    book.add("test.related", "2026-01-10", {"case_no": "Y"}, subject=ORG)
    book.add("test.offence", "2026-01-10", {"case_no": "Z"}, subject=ORG)
    book.add("test.cleared", "2026-02-01", {"case_no": "Z"}, subject=ORG)  # ends `lr`
    book.add("test.cleared", "2026-01-20", {"case_no": "Y"})  # the person's: ends nothing
    result = book.evaluate(make_policy(VIA), tmp_path)
    assert units(result) == points(95)
    assert units(result, OTHER) == points(95)  # once, though named twice
    assert units(result, ORG) == points(90)
