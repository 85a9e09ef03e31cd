"""The lookup: names in characters (simplified or traditional), in pinyin or initials,
with a typing error; codes; the bounds of a query."""

from __future__ import annotations

import pytest

from socialcredit.lookup.search import MAX_QUERY, QueryTooLong, search
from socialcredit.store.database import Store

from support.factories import org_id
from support.portal_search import (
    COURT,
    COURT_NAME,
    HAIRUN,
    HAIRUN_NAME,
    ZHANG_WEI,
    enterprise_record,
    register,
    town,
)


@pytest.fixture
def named(store: Store) -> Store:
    town(store)
    return store


def first(store: Store, q: str) -> tuple[str, str, float]:
    hits = search(store, q)
    assert hits, f"nothing found for {q!r}"
    return hits[0].code, hits[0].name, hits[0].score


@pytest.mark.parametrize(
    "q", ["张伟", "Zhang Wei", "zhangwei", "zhang wei", "張偉", " ZHANG  WEI "]
)
def test_a_person_is_found_by_characters_pinyin_or_traditional_forms(named: Store, q: str) -> None:
    assert first(named, q) == (ZHANG_WEI, "张伟", 100.0)


def test_pinyin_initials_find_the_person(named: Store) -> None:
    codes = [h.code for h in search(named, "zw")]
    assert ZHANG_WEI in codes


@pytest.mark.parametrize(
    "q",
    [
        "荣成市海闰食品有限公司",  # one character wrong
        "荣成市海润食品有限司",  # one character missing
        "榮成市海潤食品有限公司",  # traditional forms
        "海润食品",  # part of the name
        "rongchengshihairunshipin",  # pinyin of part of it
    ],
)
def test_an_enterprise_is_found_despite_a_typo_or_in_another_form(named: Store, q: str) -> None:
    code, name, _score = first(named, q)
    assert (code, name) == (HAIRUN, HAIRUN_NAME)


def test_the_exact_name_ranks_above_a_near_one(named: Store) -> None:
    hits = search(named, HAIRUN_NAME)
    assert hits[0].code == HAIRUN and hits[0].score == 100.0
    assert all(h.score < 100.0 for h in hits[1:])


def test_a_valid_code_finds_exactly_that_subject(named: Store) -> None:
    assert [(h.code, h.kind, h.name) for h in search(named, COURT)] == [
        (COURT, "institution", COURT_NAME)
    ]
    assert [h.code for h in search(named, ZHANG_WEI.lower())] == [ZHANG_WEI]


def test_a_valid_code_of_no_indexed_subject_finds_nothing(named: Store) -> None:
    assert search(named, "110101199003074477") == []


def test_an_empty_query_or_one_of_punctuation_finds_nothing(named: Store) -> None:
    assert search(named, "") == []
    assert search(named, "   ") == []
    assert search(named, "，。!?") == []


def test_a_query_over_the_bound_is_refused_with_its_code(named: Store) -> None:
    assert search(named, "张" * MAX_QUERY) == []  # at the bound: answered
    with pytest.raises(QueryTooLong) as info:
        search(named, "张" * (MAX_QUERY + 1))
    assert info.value.code == "query_too_long" and info.value.status == 400


def test_the_limit_bounds_the_hits(named: Store) -> None:
    assert len(search(named, "有限公司", limit=2)) == 2
    assert len(search(named, "有限公司", limit=500)) == 3  # at most MAX_LIMIT, all 3 here


def test_nothing_similar_finds_nothing(named: Store) -> None:
    assert search(named, "完全无关的名字啊") == []


def test_a_new_enterprise_is_found_despite_a_typo_just_after_a_miss(named: Store) -> None:
    typo = "乳山市金泰纺织有限工司"
    assert search(named, typo) == []
    register(named, enterprise_record(org_id(code="MA3C4D5F8"), "乳山市金泰纺织有限公司", "r-jt"))
    assert [h.name for h in search(named, typo)][:1] == ["乳山市金泰纺织有限公司"]
