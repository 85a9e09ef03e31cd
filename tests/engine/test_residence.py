"""Scope from residence records, never from the identity number's digits (docs/engine.md
step 4, docs/safeguards.md "Scope from residence").

Every evaluation here runs the batch engine on a snapshot and the incremental engine on
the same records, and asserts they agree (``Book.evaluate``); the packs are the shipped
national and Rongcheng packs.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import orjson
import pytest

from socialcredit.clock import day_of
from socialcredit.engine.model import LedgerRecord, SubjectRef
from socialcredit.engine.records import effective_records
from socialcredit.engine.scope import adult_born_by, scope_of
from socialcredit.policy.pack import default_packs, load_pack_files, pack_folder, read_pack_files
from socialcredit.policy.policy_set import PolicySet

from support.batch import Book
from support.factories import person_id
from support.packs import instant

ON = "2026-03-01"
BORN_ADULT = "1990-05-12"


@pytest.fixture(scope="module")
def policy() -> PolicySet:
    return PolicySet(default_packs())


def resident(
    book: Book,
    who: SubjectRef,
    area: str,
    since: str,
    *,
    born: str = BORN_ADULT,
    consent: bool = True,
    **extra: Any,
) -> None:
    where = {"address": "1 Harbour Rd", "area": area, "since": since, **extra}
    book.add("registry.residence", since, where, subject=who)
    book.add("registry.person", "2000-01-01", {"name": "N", "birth_date": born}, subject=who)
    if consent:
        book.add(
            "registry.consent", "2024-01-01", {"scheme": "rongcheng", "given": True}, subject=who
        )


def scored(policy: PolicySet, book: Book, tmp: Path, on: str = ON) -> set[str]:
    """The subjects the Rongcheng scheme scores on ``on`` (both engines agree)."""
    result = book.evaluate(policy, tmp, on)
    return {
        s for (s, scheme), r in result.items() if scheme == "rongcheng" and r["status"] == "scored"
    }


def test_the_identity_number_area_does_not_place_a_person(
    policy: PolicySet, tmp_path: Path
) -> None:
    born_here_lives_in_jinan = SubjectRef(person_id("371082", seq=1), "person")
    born_in_urumqi_lives_here = SubjectRef(person_id("650102", seq=2), "person")
    book = Book(born_here_lives_in_jinan, born_in_urumqi_lives_here)
    resident(book, born_here_lives_in_jinan, "370102", "2020-01-01")
    resident(book, born_in_urumqi_lives_here, "371082", "2024-03-01")  # two years
    assert scored(policy, book, tmp_path) == {born_in_urumqi_lives_here.id}


def test_no_residence_record_means_national_schemes_only(policy: PolicySet, tmp_path: Path) -> None:
    nobody = SubjectRef(person_id("371082", seq=4), "person")
    book = Book(nobody)
    book.add(
        "registry.consent", "2024-01-01", {"scheme": "rongcheng", "given": True}, subject=nobody
    )
    result = book.evaluate(policy, tmp_path, ON)
    assert (nobody.id, "rongcheng") not in result
    assert (nobody.id, "national") in result


def test_a_minor_is_not_scored_until_the_18th_birthday(policy: PolicySet, tmp_path: Path) -> None:
    minor = SubjectRef(person_id("371082", seq=5), "person")
    book = Book(minor)
    resident(book, minor, "371082", "2010-01-01", born="2008-03-02")
    assert scored(policy, book, tmp_path / "a", "2026-03-01") == set()
    assert scored(policy, book, tmp_path / "b", "2026-03-02") == {minor.id}


def test_a_resident_of_six_months_is_not_scored(policy: PolicySet, tmp_path: Path) -> None:
    newcomer = SubjectRef(person_id("371082", seq=6), "person")
    book = Book(newcomer)
    resident(book, newcomer, "371082", "2025-09-01")
    assert scored(policy, book, tmp_path / "a") == set()
    # 365 days after moving in
    assert scored(policy, book, tmp_path / "b", "2026-09-01") == {newcomer.id}


def test_moving_out_ends_scope_from_the_move(policy: PolicySet, tmp_path: Path) -> None:
    mover = SubjectRef(person_id("371082", seq=7), "person")
    book = Book(mover)
    resident(book, mover, "371082", "2015-01-01")
    moved = {"address": "2 Lake Rd", "area": "370102", "since": "2026-02-01"}
    book.add("registry.residence", "2026-02-01", moved, subject=mover)
    assert scored(policy, book, tmp_path / "a", "2026-01-31") == {mover.id}
    assert scored(policy, book, tmp_path / "b", "2026-02-01") == set()


def test_an_ended_residence_places_nowhere(policy: PolicySet, tmp_path: Path) -> None:
    gone = SubjectRef(person_id("371082", seq=8), "person")
    book = Book(gone)
    resident(book, gone, "371082", "2015-01-01", ended="2026-02-15")
    assert scored(policy, book, tmp_path / "a", "2026-02-14") == {gone.id}
    assert scored(policy, book, tmp_path / "b", "2026-02-15") == set()


def test_consent_is_still_required(policy: PolicySet, tmp_path: Path) -> None:
    silent = SubjectRef(person_id("371082", seq=9), "person")
    book = Book(silent)
    resident(book, silent, "371082", "2015-01-01", consent=False)
    result = book.evaluate(policy, tmp_path, ON)
    assert result[(silent.id, "rongcheng")]["status"] == "no_consent"


def test_a_hostile_pack_covering_xinjiang_lists_residents_not_id_prefixes(tmp_path: Path) -> None:
    files = read_pack_files(pack_folder("rongcheng"))
    files["pack.yaml"] = files["pack.yaml"].replace('"371082"', '"650000"')
    hostile = load_pack_files(files, Path("hostile"))
    assert hostile.meta.jurisdiction == "650000"
    policy = PolicySet([*default_packs()[:1], hostile])
    id_says_xinjiang = SubjectRef(person_id("650102", seq=10), "person")
    lives_in_urumqi = SubjectRef(person_id("371082", seq=11), "person")
    book = Book(id_says_xinjiang, lives_in_urumqi)
    resident(book, id_says_xinjiang, "371082", "2015-01-01")
    resident(book, lives_in_urumqi, "650102", "2015-01-01")
    assert scored(policy, book, tmp_path) == {lives_in_urumqi.id}


def test_scope_of_reads_the_latest_residence_and_birth_records() -> None:
    book = Book()
    who = SubjectRef(person_id("371082", seq=12), "person")
    resident(book, who, "371082", "2015-01-01")
    book.add(
        "registry.residence", "2020-06-01", {"area": "370102", "since": "2020-06-01"}, subject=who
    )
    rows = [LedgerRecord(**{**r, "attributes": orjson.loads(r["attributes"])}) for r in book.rows]
    at = instant(ON)
    day = day_of(at)
    place = scope_of("person", effective_records(rows, at, day, who.id), day)
    assert (place.area, place.since, place.birth_date) == ("370102", "2020-06-01", BORN_ADULT)


def test_adult_cut_off_on_29_february() -> None:
    assert adult_born_by(dt.date(2026, 3, 1)) == "2008-03-01"
    assert adult_born_by(dt.date(2028, 2, 29)) == "2010-02-28"


def test_each_assessment_keeps_the_area_of_residence_not_of_birth(
    policy: PolicySet, tmp_path: Path
) -> None:
    born_here_lives_in_jinan = SubjectRef(person_id("371082", seq=1), "person")
    placed_nowhere = SubjectRef(person_id("371082", seq=4), "person")
    moved_out = SubjectRef(person_id("371082", seq=5), "person")
    book = Book(born_here_lives_in_jinan, placed_nowhere, moved_out)
    resident(book, born_here_lives_in_jinan, "370102", "2020-01-01")
    resident(book, moved_out, "371082", "2020-01-01", ended="2026-02-01")
    result = book.evaluate(policy, tmp_path)
    assert result[(born_here_lives_in_jinan.id, "national")]["area"] == "370102"
    assert result[(placed_nowhere.id, "national")]["area"] is None
    assert result[(moved_out.id, "national")]["area"] is None
