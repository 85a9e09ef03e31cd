"""What the public sees of a subject and of a list, under the national disclosure rules."""

from __future__ import annotations

import pytest

from socialcredit.disclosure.public import PageTooLarge, public_list, public_subject
from socialcredit.errors import NotFound
from socialcredit.store.database import Store

from support.factories import ingest_on, judgment_default, org_id, person_id
from support.portal_public import (
    DEBTOR_NAME,
    FIRM_NAME,
    QUIET,
    firm_named,
    licence,
    person_named,
    public_world,
)
from support.remedies import DEBTOR, FIRM, penalty


def test_a_listed_person_shows_masked_name_and_number_and_the_court_entry(store: Store) -> None:
    refs = public_world(store)
    body = public_subject(store, DEBTOR)
    assert body["ref"] == refs[DEBTOR] and body["ref"].startswith("P")
    assert body["kind"] == "person"
    assert body["name"] == "欧阳**"
    assert body["identifier"] == DEBTOR[:6] + "********" + DEBTOR[14:]
    assert DEBTOR not in str(body) and DEBTOR_NAME not in str(body)
    (entry,) = body["entries"]
    assert entry["list"] == "court_defaulters"
    assert entry["title_zh"] == "失信被执行人名单"
    assert (entry["authority"], entry["authority_zh"]) == ("People's courts", "人民法院")
    assert "法释〔2013〕17号" in entry["legal_basis_zh"]
    assert "Fa Shi [2013] No. 17" in entry["legal_basis"]
    assert entry["ground_zh"] == "失信被执行人信息"
    assert (entry["start"], entry["end"]) == ("2026-02-04", "2028-02-04")
    assert entry["attributes"] == {"case_no": "(2026)鲁1082执51号"}  # the amount is not


def test_a_persons_grades_and_decisions_are_not_published(store: Store) -> None:
    public_world(store)
    ingest_on(store, "2026-01-10", penalty("P-9", "2026-01-10", subject=QUIET, reason="x"))
    body = public_subject(store, QUIET)
    assert "grades" not in body and "decisions" not in body
    assert body["entries"] == [] and body["name"] == "李*"


def test_an_enterprise_shows_its_name_code_grades_entries_and_decisions(store: Store) -> None:
    public_world(store)
    body = public_subject(store, FIRM)
    assert (body["name"], body["identifier"], body["ref"]) == (FIRM_NAME, FIRM, FIRM)
    grades = {g["scheme"]: g for g in body["grades"]}
    assert grades["national"]["title_zh"] == "全国诚信等级（自然人、企业、事业单位）"
    assert all("grade" in g and "score" not in g for g in grades.values())
    (entry,) = body["entries"]
    assert entry["list"] == "serious_illegal_dishonest_enterprises"
    assert entry["attributes"] == {"decision_no": "市监严违〔2026〕3号"}
    licence_, penalty_ = body["decisions"]
    assert licence_ == {
        "type": "licence",
        "decision_no": "市监许〔2025〕12号",
        "item": "食品经营许可证",
        "reason": "预包装食品销售",
        "basis": licence_["basis"],
        "authority": "State Administration for Market Regulation",
        "date": "2026-01-10",
    }
    assert "art. 40" in licence_["basis"]
    assert (penalty_["type"], penalty_["item"], penalty_["reason"]) == (
        "penalty",
        "fine",
        "销售过期食品",
    )


def test_penalties_older_than_three_years_and_replaced_decisions_are_not_shown(
    store: Store,
) -> None:
    firm_named(store)
    ingest_on(store, "2022-06-01", penalty("OLD", "2022-06-01"), licence("L-OLD", "2022-06-01"))
    ingest_on(store, "2026-01-10", penalty("NEW", "2026-01-10"))
    ingest_on(
        store,
        "2026-01-11",
        {
            **penalty("NEW-2", "2026-01-10"),
            "supersedes": "NEW",
            "attributes": {"decision_no": "NEW", "penalty": "warning"},
        },
    )
    decisions = public_subject(store, FIRM)["decisions"]
    assert [(d["decision_no"], d["item"]) for d in decisions] == [
        ("NEW", "warning"),
        ("L-OLD", "食品经营许可证"),  # a licence stays published
    ]


def test_an_unknown_subject_is_not_found(store: Store) -> None:
    with pytest.raises(NotFound):
        public_subject(store, org_id(code="MA3C4D5E9"))


def test_a_list_shows_entries_in_force_newest_first_masked(store: Store) -> None:
    refs = public_world(store)
    later = person_id(seq=61)
    person_named(store, later, "司马光")
    ingest_on(
        store,
        "2026-01-20",
        judgment_default("(2026)鲁1082执61号", later, occurred_at="2026-01-20"),
    )
    pending = person_id(seq=63)  # listed after its notice, on 2026-03-19: not yet shown
    ingest_on(
        store,
        "2026-02-17",
        judgment_default("(2026)鲁1082执63号", pending, occurred_at="2026-02-17"),
    )
    body = public_list(store, "court_defaulters")
    assert body["title_zh"] == "失信被执行人名单" and body["kind"] == "black"
    assert body["total"] == 2
    assert [e["name"] for e in body["entries"]] == ["司马*", "欧阳**"]
    assert body["entries"][1]["ref"] == refs[DEBTOR]
    assert all(e["identifier"].count("*") == 8 for e in body["entries"])
    assert DEBTOR not in str(body) and later not in str(body)


def test_a_list_is_paged_and_searched_in_what_it_shows(store: Store) -> None:
    public_world(store)
    for seq in range(70, 75):
        code = person_id(seq=seq)
        person_named(store, code, "王小明")
        ingest_on(
            store,
            "2026-01-05",
            judgment_default(f"(2026)鲁1082执{seq}号", code, occurred_at="2026-01-05"),
        )
    first = public_list(store, "court_defaulters", page=1, page_size=4)
    second = public_list(store, "court_defaulters", page=2, page_size=4)
    assert (first["total"], len(first["entries"]), len(second["entries"])) == (6, 4, 2)
    assert not {e["ref"] for e in first["entries"]} & {e["ref"] for e in second["entries"]}
    assert public_list(store, "court_defaulters", q="王*")["total"] == 5
    assert public_list(store, "court_defaulters", q="欧阳")["total"] == 1
    # the hidden part of a name or of a number finds nothing
    assert public_list(store, "court_defaulters", q="王小明")["total"] == 0
    assert public_list(store, "court_defaulters", q=DEBTOR)["total"] == 0
    assert public_list(store, "court_defaulters", q=DEBTOR[6:14])["total"] == 0


def test_an_enterprise_list_is_searched_by_name_and_code(store: Store) -> None:
    public_world(store)
    listing = "serious_illegal_dishonest_enterprises"
    assert public_list(store, listing, q="海味")["total"] == 1
    assert public_list(store, listing, q=FIRM[-6:].lower())["total"] == 1
    assert public_list(store, listing, q="山味")["total"] == 0


def test_a_page_beyond_the_largest_is_refused_with_a_code(store: Store) -> None:
    with pytest.raises(PageTooLarge) as info:
        public_list(store, "court_defaulters", page_size=101)
    assert info.value.code == "page_too_large" and info.value.field == "page_size"
    with pytest.raises(PageTooLarge):
        public_list(store, "court_defaulters", page=0)


def test_an_unknown_list_is_not_found(store: Store) -> None:
    with pytest.raises(NotFound):
        public_list(store, "no_such_list")
