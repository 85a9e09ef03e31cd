"""The batch engine's step 3 of docs/engine.md (docs/remedies.md, "Effect on the engines"):
records suspended by an unanswered objection or during an appeal, and credit repair.
Every evaluation is also checked against the incremental engine (``Book.evaluate``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from socialcredit.engine.model import SubjectRef

from support.batch import Book, points, units
from support.packs import ORG, PERSON, VIA, make_policy

PLATFORM = "platform.remedies"
RULES = """
rules:
  - {id: r, scheme: s, category: test.offence, points: -10, ended_by: [test.cleared]}
"""


class Remedies(Book):
    """A book with the remedy steps of docs/remedies.md, reported by the platform."""

    def objection(self, target: str, filed: str, answer_by: Any, case: str = "OBJ-1") -> str:
        attrs = {"target": target, "grounds": "wrong", "answer_by": answer_by}
        return self.add("remedy.objection_filed", filed, attrs, provider=PLATFORM, ref=case)

    def step(self, category: str, on: str, case: str, **attrs: Any) -> str:
        provider = attrs.pop("provider", PLATFORM)
        subject = attrs.pop("subject", PERSON)
        recorded = attrs.pop("recorded", "2020-01-01T00:00:00")
        return self.add(
            category,
            on,
            {"case": case, **attrs},
            provider=provider,
            ref=f"{case}/{category}-{len(self.rows) + 1}",
            subject=subject,
            recorded=recorded,
        )

    def repair(self, target: str, on: str, case: str = "REP-1", **more: Any) -> str:
        subject = more.pop("subject", PERSON)
        attrs = {"target": target, "target_kind": "record", "pledge": True, **more}
        return self.add(
            "remedy.repair_applied", on, attrs, provider=PLATFORM, ref=case, subject=subject
        )


@pytest.fixture
def book() -> Remedies:
    return Remedies()


def score(book: Book, tmp_path: Path, on: str, rules: str = RULES, **kw: Any) -> int | None:
    folder = tmp_path / f"{on}-{len(list(tmp_path.iterdir())) if tmp_path.exists() else 0}"
    return units(book.evaluate(make_policy(rules), folder, on, **kw))


def test_an_unanswered_objection_suspends_the_record_from_the_day_after_answer_by(
    book: Remedies, tmp_path: Path
) -> None:
    ground = book.add("test.offence", "2026-01-05", {"case_no": "A"})
    book.objection(ground, "2026-03-02", "2026-03-18")
    assert score(book, tmp_path, "2026-03-18") == points(90)
    assert score(book, tmp_path, "2026-03-19") == points(100)
    assert score(book, tmp_path, "2026-04-30") == points(100)  # open while unanswered


def test_a_late_answer_ends_the_suspension_on_its_day(book: Remedies, tmp_path: Path) -> None:
    ground = book.add("test.offence", "2026-01-05", {"case_no": "A"})
    book.objection(ground, "2026-03-02", "2026-03-18")
    book.step("remedy.provider_answered", "2026-03-21", "OBJ-1", outcome="upheld",
              recorded="2026-03-21T02:00:00")  # fmt: skip
    assert score(book, tmp_path, "2026-03-20") == points(100)
    assert score(book, tmp_path, "2026-03-21") == points(90)
    # what was known on 20 March: still suspended, the answer came later
    known = dt.datetime(2026, 3, 20, 4)
    assert score(book, tmp_path, "2026-03-22", known_at=known) == points(100)


@pytest.mark.parametrize("answered", ["2026-03-10", "2026-03-18", "2026-03-19"])
def test_an_answer_by_the_first_day_after_answer_by_prevents_the_suspension(
    answered: str, book: Remedies, tmp_path: Path
) -> None:
    ground = book.add("test.offence", "2026-01-05", {"case_no": "A"})
    book.objection(ground, "2026-03-02", "2026-03-18")
    book.step("remedy.provider_answered", answered, "OBJ-1", outcome="upheld")
    assert score(book, tmp_path, "2026-03-19") == points(90)
    assert score(book, tmp_path, "2026-03-25") == points(90)


def test_an_answer_belongs_to_its_case_only(book: Remedies, tmp_path: Path) -> None:
    """Same case id from another provider, or another case of the platform: no answer."""
    ground = book.add("test.offence", "2026-01-05", {"case_no": "A"})
    book.objection(ground, "2026-03-02", "2026-03-18")
    book.step("remedy.provider_answered", "2026-03-10", "OBJ-1", provider="test")
    book.step("remedy.provider_answered", "2026-03-10", "OBJ-2", outcome="upheld")
    book.step("remedy.provider_answered", "2026-03-10", "OBJ-1", subject=ORG)
    assert score(book, tmp_path, "2026-03-25") == points(100)


@pytest.mark.parametrize(
    ("answer_by", "expected"),
    [("20260318", 100), ("2026-3-18", 90), ("2026-02-30", 90), (20260318, 90), (None, 90)],
)
def test_answer_by_is_a_date_as_python_reads_it(
    answer_by: Any, expected: int, book: Remedies, tmp_path: Path
) -> None:
    ground = book.add("test.offence", "2026-01-05", {"case_no": "A"})
    book.objection(ground, "2026-03-02", answer_by)
    assert score(book, tmp_path, "2026-03-25") == points(expected)


def test_a_listing_suspended_during_an_appeal_counts_again_once_decided(
    book: Remedies, tmp_path: Path
) -> None:
    ground = book.add("test.offence", "2026-01-05", {"case_no": "A"})
    book.objection(ground, "2026-02-02", "2026-02-24")
    book.step("remedy.provider_answered", "2026-02-10", "OBJ-1", outcome="upheld")
    book.step("remedy.listing_suspended", "2026-03-01", "OBJ-1", target=ground)
    assert score(book, tmp_path, "2026-02-28") == points(90)
    assert score(book, tmp_path, "2026-03-01") == points(100)
    book.step("remedy.appeal_decided", "2026-03-10", "OBJ-1", outcome="upheld")
    assert score(book, tmp_path, "2026-03-09") == points(100)
    assert score(book, tmp_path, "2026-03-10") == points(90)


def test_a_suspended_record_ends_nothing_and_holds_no_role(tmp_path: Path) -> None:
    book = Remedies()
    book.add("registry.legal_representative", "2025-01-01", {"person": PERSON.id}, subject=ORG)
    offence = book.add("test.offence", "2026-01-05", {"case_no": "A"}, subject=ORG)
    cleared = book.add("test.cleared", "2026-02-01", {"case_no": "A"}, subject=ORG)
    before = book.evaluate(make_policy(VIA), tmp_path / "a", "2026-03-01")
    book.add("remedy.listing_suspended", "2026-02-20", {"case": "X", "target": cleared},
             provider=PLATFORM, ref="X/suspended", subject=ORG)  # fmt: skip
    during = book.evaluate(make_policy(VIA), tmp_path / "b", "2026-03-01")
    # the clearing is suspended: the organisation's offence counts again for its
    # legal representative (ended_by) and for itself
    assert units(during, PERSON) < units(before, PERSON)
    book.add("remedy.listing_suspended", "2026-02-25", {"case": "Y", "target": offence},
             provider=PLATFORM, ref="Y/suspended", subject=ORG)  # fmt: skip
    assert units(book.evaluate(make_policy(VIA), tmp_path / "c", "2026-03-01"), ORG) == points(100)


@pytest.mark.parametrize(
    ("effective", "on", "expected"),
    [
        ("2026-03-08", "2026-03-07", 90),  # decided, not yet effective
        ("2026-03-08", "2026-03-08", 100),  # effective on the day
        ("2026-03-08", "2026-04-30", 100),
        ("20260308", "2026-03-08", 100),  # the basic ISO form, as Python reads it
        ("2027-01-05", "2027-01-05", 100),  # the period is over anyway
        ("not a date", "2026-03-08", 90),
    ],
)
def test_an_accepted_repair_ends_the_effect_on_its_effective_day(
    effective: str, on: str, expected: int, book: Remedies, tmp_path: Path
) -> None:
    rules = """
    rules:
      - {id: r, scheme: s, category: test.offence, points: -10, effect_days: 365}
    """
    ground = book.add("test.offence", "2026-01-05", {"case_no": "A"})
    book.repair(ground, "2026-03-02")
    book.step("remedy.repair_decided", "2026-03-06", "REP-1", outcome="accepted",
              effective=effective)  # fmt: skip
    assert score(book, tmp_path, on, rules) == points(expected)


def test_a_refused_repair_changes_nothing_and_the_earliest_accepted_counts(
    book: Remedies, tmp_path: Path
) -> None:
    ground = book.add("test.offence", "2026-01-05", {"case_no": "A"})
    book.repair(ground, "2026-03-02")
    book.step("remedy.repair_decided", "2026-03-04", "REP-1", outcome="refused",
              effective="2026-03-04")  # fmt: skip
    assert score(book, tmp_path, "2026-03-05") == points(90)
    book.repair(ground, "2026-03-06", "REP-2")
    book.step("remedy.repair_decided", "2026-03-06", "REP-2", outcome="accepted",
              effective="2026-03-20")  # fmt: skip
    book.step("remedy.repair_decided", "2026-03-07", "REP-2", outcome="accepted",
              effective="2026-03-10")  # fmt: skip
    assert score(book, tmp_path, "2026-03-09") == points(90)
    assert score(book, tmp_path, "2026-03-10") == points(100)


@pytest.mark.parametrize(("filing", "decision"), [(ORG, ORG), (PERSON, ORG), (ORG, PERSON)])
def test_a_repair_case_is_the_subjects_own(
    filing: SubjectRef, decision: SubjectRef, book: Remedies, tmp_path: Path
) -> None:
    """Another subject's case about the record, or a decision recorded for another
    subject, does not repair it."""
    ground = book.add("test.offence", "2026-01-05", {"case_no": "A"})
    book.repair(ground, "2026-03-02", subject=filing)
    book.step("remedy.repair_decided", "2026-03-04", "REP-1", outcome="accepted",
              effective="2026-03-04", subject=decision)  # fmt: skip
    assert score(book, tmp_path, "2026-03-05") == points(90)


def test_a_repair_after_the_act_ended_changes_nothing(book: Remedies, tmp_path: Path) -> None:
    ground = book.add("test.offence", "2026-01-05", {"case_no": "A"})
    book.add("test.cleared", "2026-02-01", {"case_no": "A"})
    book.repair(ground, "2026-01-20")
    book.step("remedy.repair_decided", "2026-01-25", "REP-1", outcome="accepted",
              effective="2026-02-01")  # fmt: skip
    assert score(book, tmp_path, "2026-01-31") == points(90)
    assert score(book, tmp_path, "2026-02-01") == points(100)
