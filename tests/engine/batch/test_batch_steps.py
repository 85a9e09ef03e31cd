"""The batch engine's compiled SQL on DuckDB, step by step of docs/engine.md.

Each test writes a small Parquet snapshot and evaluates a small pack over it.
The snapshot builder (``Book``, checked against the incremental engine) is in
``support/batch.py``, the test packs in ``support/packs.py``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import orjson
import pytest

from socialcredit.engine.model import SubjectRef
from socialcredit.policy.policy_set import PolicySet

from support.batch import Book, points, units
from support.factories import person_id
from support.packs import (
    ONE_RULE,
    ORG,
    PERSON,
    SCHEME,
    make_pack,
    make_policy,
)


@pytest.fixture
def book() -> Book:
    return Book()


# -- steps 1-4: visibility, supersession, scope -----------------------------------------


def test_every_subject_in_scope_gets_a_row_with_the_base(book: Book, tmp_path: Path) -> None:
    result = book.evaluate(make_policy(ONE_RULE), tmp_path)
    assert sorted(result) == sorted([(PERSON.id, "s"), (ORG.id, "s")])
    row = result[(PERSON.id, "s")]
    assert row == {
        "subject": PERSON.id,
        "scheme": "s",
        "status": "scored",
        "score_units": 100 * 10_000,
        "government_units": 0,
        "commercial_units": 0,
        "social_units": 0,
        "judicial_units": 0,
        "grade": "A",
        "area": None,  # no registry record places the subject
    }


@pytest.mark.parametrize(
    ("jurisdiction", "covered"),
    [
        ("national", {"371082", "110105", "371002"}),
        ("370000", {"371082", "371002"}),
        ("371000", {"371082", "371002"}),
        ("371082", {"371082"}),
        ("110105", {"110105"}),
    ],
)
def test_scope_by_pack_jurisdiction(jurisdiction: str, covered: set[str], tmp_path: Path) -> None:
    subjects = [
        SubjectRef(person_id(area=a, seq=i), "person")
        for i, a in enumerate(("371082", "110105", "371002"))
    ]
    book = Book(*subjects, ORG)
    areas = dict(zip(subjects, ("371082", "110105", "371002"), strict=True))
    for who, area in areas.items():
        book.add(
            "registry.residence", "2020-01-01", {"area": area, "since": "2020-01-01"}, subject=who
        )
    scheme = SCHEME.replace("[person, enterprise]", "[person]")
    result = book.evaluate(
        make_policy(ONE_RULE, scheme=scheme, jurisdiction=jurisdiction), tmp_path
    )
    assert {areas[s] for s in subjects if (s.id, "s") in result} == covered
    assert (ORG.id, "s") not in result  # not a kind the scheme rates


def test_records_recorded_after_known_at_or_occurring_after_the_day_are_not_seen(
    book: Book, tmp_path: Path
) -> None:
    book.add("test.offence", "2026-01-01", recorded="2026-02-01T00:00:00")
    book.add("test.offence", "2026-03-02", recorded="2026-01-01T00:00:00")  # after d
    policy = make_policy(ONE_RULE)
    assert units(book.evaluate(policy, tmp_path / "a")) == points(90)
    early = dt.datetime(2026, 1, 31)
    assert units(book.evaluate(policy, tmp_path / "b", known_at=early)) == points(100)
    assert units(book.evaluate(policy, tmp_path / "c", on="2026-03-02")) == points(80)


def test_the_day_is_the_date_in_china(book: Book, tmp_path: Path) -> None:
    book.add("test.offence", "2026-03-02")
    policy = make_policy(ONE_RULE)
    # 15:59 UTC is 23:59 in Beijing; 16:00 UTC is midnight, the next day
    before = book.evaluate(policy, tmp_path / "a", at=dt.datetime(2026, 3, 1, 15, 59))
    after = book.evaluate(policy, tmp_path / "b", at=dt.datetime(2026, 3, 1, 16, 0))
    assert (units(before), units(after)) == (points(100), points(90))
    aware = dt.datetime(2026, 3, 2, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert units(book.evaluate(policy, tmp_path / "c", at=aware)) == points(90)


def test_corrections_replace_and_withdrawals_remove(book: Book, tmp_path: Path) -> None:
    rules = """
    rules:
      - {id: r, scheme: s, category: test.offence, points: -1, per: amount}
    """
    first = book.add("test.offence", "2026-01-01", {"case_no": "A", "amount": 10.0})
    second = book.add(
        "test.offence", "2026-01-01", {"case_no": "A", "amount": 20.0}, supersedes=first
    )
    book.add("test.offence", "2026-01-01", {"case_no": "A", "amount": 30.0}, supersedes=second)
    other = book.add("test.offence", "2026-01-01", {"case_no": "B", "amount": 5.0})
    book.add("test.offence", "2026-01-01", supersedes=other, withdrawn=True)
    assert units(book.evaluate(make_policy(rules), tmp_path)) == points(70)


def test_a_correction_not_yet_known_does_not_replace(book: Book, tmp_path: Path) -> None:
    first = book.add("test.offence", "2026-01-01", {"case_no": "A"})
    book.add(
        "test.offence",
        "2026-01-01",
        supersedes=first,
        withdrawn=True,
        recorded="2026-02-15T00:00:00",
    )
    policy = make_policy(ONE_RULE)
    assert units(book.evaluate(policy, tmp_path / "a")) == points(100)
    assert units(book.evaluate(policy, tmp_path / "b", known_at=dt.datetime(2026, 2, 1))) == (
        points(90)
    )


# -- step 6: matches --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("when", "attributes", "matches"),
    [
        ({"attr": "amount", "gt": 100}, {"amount": 150.0}, True),
        ({"attr": "amount", "gt": 100}, {}, False),  # missing: false
        ({"not": {"attr": "amount", "gt": 100}}, {}, True),  # ... so `not` of it is true
        ({"attr": "amount", "ne": 5}, {}, False),
        ({"attr": "amount", "ne": 5}, {"amount": "5"}, True),  # a string is not 5
        ({"attr": "amount", "gt": 1}, {"amount": "7"}, False),  # no order across types
        ({"attr": "level", "lt": "m"}, {"level": "high"}, True),  # strings compare as text
        ({"attr": "level", "in": ["low", 3]}, {"level": "low"}, True),
        ({"attr": "count", "in": [1, 2]}, {"count": 2}, True),
        ({"attr": "count", "eq": 2}, {"count": 2.0}, True),  # 2 == 2.0
        ({"attr": "flag", "eq": 1}, {"flag": True}, True),  # True == 1, as in Python
        ({"attr": "flag", "eq": True}, {"flag": False}, False),
        ({"attr": "flag", "exists": True}, {"flag": False}, True),
        ({"attr": "flag", "exists": False}, {"flag": None}, True),  # JSON null is absent
        (
            {"all": [{"attr": "amount", "gte": 1}, {"attr": "case_no", "eq": "A"}]},
            {"amount": 1.0, "case_no": "A"},
            True,
        ),
        (
            {"any": [{"attr": "amount", "lte": 0}, {"attr": "case_no", "eq": "B"}]},
            {"amount": 1.0, "case_no": "A"},
            False,
        ),
    ],
)
def test_predicates_use_two_valued_logic(
    when: dict[str, Any], attributes: dict[str, Any], matches: bool, tmp_path: Path
) -> None:
    from socialcredit.policy.predicate import evaluate
    from socialcredit.policy.rules import Rule

    rule = Rule.model_validate(
        {"id": "r", "scheme": "s", "category": "test.offence", "points": -10, "when": when}
    )
    assert evaluate(rule.when, attributes) is matches  # the reference semantics
    book = Book()
    book.add("test.offence", "2026-01-01", attributes)
    rules = (
        "rules:\n  - "
        + orjson.dumps(
            rule.model_dump(by_alias=True, exclude_none=True, exclude_defaults=True)
        ).decode()
    )
    expected = points(90) if matches else points(100)
    assert units(book.evaluate(make_policy(rules), tmp_path)) == expected


@pytest.mark.parametrize(
    ("amount", "expected"),
    [(12.5, 100 - 25), (3, 100 - 6), (None, 100), ("7", 100), (True, 100)],
)
def test_per_multiplies_by_a_numeric_attribute_or_does_not_match(
    amount: Any, expected: float, book: Book, tmp_path: Path
) -> None:
    rules = """
    rules:
      - {id: r, scheme: s, category: test.offence, points: -2, per: amount}
    """
    book.add("test.offence", "2026-01-01", {} if amount is None else {"amount": amount})
    assert units(book.evaluate(make_policy(rules), tmp_path)) == points(expected)


def test_records_of_one_case_count_once_across_categories(book: Book, tmp_path: Path) -> None:
    rules = """
    rules:
      - {id: o, scheme: s, category: test.offence, points: -10}
      - {id: r, scheme: s, category: test.related, points: -30}
      - {id: m, scheme: s, category: test.minor, points: -1}
    """
    book.add("test.offence", "2026-01-01", {"case_no": "A"})
    book.add("test.related", "2026-01-05", {"case_no": "A"})
    book.add("test.offence", "2026-01-01", {"case_no": "B"})
    book.add("test.minor", "2026-01-01")  # no case key: its own act
    book.add("test.minor", "2026-01-01")
    result = book.evaluate(make_policy(rules), tmp_path)[(PERSON.id, "s")]
    assert result["score_units"] == points(100 - 30 - 10 - 2)
    assert result["judicial_units"] == points(-30)  # the representative's domain


def test_numeric_case_keys_are_their_canonical_json_text(book: Book, tmp_path: Path) -> None:
    rules = """
    rules:
      - {id: o, scheme: s, category: test.offence, points: -10}
      - {id: r, scheme: s, category: test.related, points: -30}
    """
    # 1e20 is stored as 1e+20 (orjson); DuckDB would re-serialise it as 100000000000000000000.0
    book.add("test.offence", "2026-01-01", {"case_no": 1e20})
    book.add("test.related", "2026-01-01", {"case_no": "1e+20"})
    book.add("test.offence", "2026-01-01", {"case_no": 50000.0})
    book.add("test.related", "2026-01-01", {"case_no": "50000.0"})
    book.add("test.offence", "2026-01-01", {"case_no": 7})
    book.add("test.related", "2026-01-01", {"case_no": "7.0"})  # not the same text
    result = book.evaluate(make_policy(rules), tmp_path)
    assert units(result) == points(100 - 30 - 30 - 30 - 10)


# -- effect periods and ended_by ---------------------------------------------------------


@pytest.mark.parametrize(
    ("occurred", "counts"),
    [("2025-03-02", True), ("2025-03-01", False), ("2026-03-01", True)],
)
def test_a_general_record_counts_for_365_days(
    occurred: str, counts: bool, book: Book, tmp_path: Path
) -> None:
    book.add("test.offence", occurred)
    expected = points(90 if counts else 100)
    assert units(book.evaluate(make_policy(ONE_RULE), tmp_path)) == expected


def test_effect_days_and_sector_minimum(book: Book, tmp_path: Path) -> None:
    rules = """
    effect_periods: {minor: 30, sector_minimum: {food: 400, drugs: 200}}
    rules:
      - {id: f, scheme: s, category: test.food, points: -1}
      - {id: m, scheme: s, category: test.minor, points: -2}
      - {id: o, scheme: s, category: test.offence, points: -4, effect_days: 10}
    """
    book.add("test.food", "2025-02-01")  # category sector food: 400 days
    book.add("test.minor", "2026-01-10")  # 30 days: expired
    book.add("test.offence", "2025-12-01", {"sector": "drugs"})  # 10 days, raised to 200
    book.add("test.offence", "2025-12-01", {"sector": "other"})  # 10 days: expired
    assert units(book.evaluate(make_policy(rules), tmp_path)) == points(100 - 1 - 4)


def test_a_second_pack_raises_the_sector_minimum(tmp_path: Path) -> None:
    first = make_pack(SCHEME + "\nrules:\n  - {id: f, scheme: s, category: test.food, points: -1}")
    second = make_pack(
        "effect_periods: {sector_minimum: {food: 800}}\n", name="other", categories="{}"
    )
    book = Book()
    book.add("test.food", "2024-06-01")
    assert units(book.evaluate(PolicySet([first]), tmp_path / "a")) == points(100)
    assert units(book.evaluate(PolicySet([first, second]), tmp_path / "b")) == points(99)


@pytest.mark.parametrize(
    ("cleared", "expected"),
    [
        (None, 90),
        ("2026-02-01", 100),
        ("2026-01-01", 100),
        ("2025-12-01", 100),
        ("2026-03-01", 100),
        ("2026-03-02", 90),
    ],
)
def test_ended_by_a_record_about_the_same_act(
    cleared: str | None, expected: float, book: Book, tmp_path: Path
) -> None:
    rules = """
    rules:
      - {id: r, scheme: s, category: test.offence, points: -10, ended_by: [test.cleared]}
    """
    book.add("test.offence", "2026-01-01", {"case_no": "A"})
    book.add("test.cleared", "2026-01-15", {"case_no": "B"})  # another act
    if cleared:
        book.add("test.cleared", cleared, {"case_no": "A"})
    assert units(book.evaluate(make_policy(rules), tmp_path)) == points(expected)
