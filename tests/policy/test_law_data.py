"""The law as platform data: the registry, citations, and the two national allow-lists."""

from __future__ import annotations

import pytest

from socialcredit.policy.law.actions import action_catalogue
from socialcredit.policy.law.additions import active_additions
from socialcredit.policy.law.basic_list import shipped_basic_list
from socialcredit.policy.law.catalogue import LEGAL_ROLES, shipped_catalogue
from socialcredit.policy.law.citation import Citation, basis_text, citation_ids, parse_basis
from socialcredit.policy.law.registry import PUNISHING_LEVELS, registry
from socialcredit.policy.pack import default_packs
from socialcredit.policy.protected import protected_ground


def test_every_instrument_has_titles_a_level_and_a_date() -> None:
    reg = registry()
    assert len(reg.ids()) >= 50
    court = reg["spc_defaulter_list_2017"]
    assert (court.level, court.date, court.doc_no_en) == (
        "judicial_interpretation",
        "2017-02-28",
        "Fa Shi [2013] No. 17, amended 2017",
    )
    assert set(court.articles) >= {"1", "2", "10"}
    shandong = reg["shandong_social_credit_regulations"]
    assert (shandong.level, shandong.jurisdiction) == ("local_regulation", "370000")
    assert reg["guofa_2014_21"].numbered is False


def test_a_basis_renders_in_english_and_chinese() -> None:
    basis = parse_basis(["spc_defaulter_list_2017 art. 1, 2", "criminal_law art. 307-1"])
    assert basis == (
        Citation(instrument="spc_defaulter_list_2017", articles=("1", "2")),
        Citation(instrument="criminal_law", articles=("307-1",)),
    )
    assert basis_text(basis) == (
        "SPC Provisions on Announcing the List of Dishonest Judgment Defaulters (Fa Shi "
        "[2013] No. 17, amended 2017) arts. 1, 2; Criminal Law of the People's Republic of "
        "China art. 307-1"
    )
    assert basis_text(basis, "zh") == (
        "《最高人民法院关于公布失信被执行人名单信息的若干规定》（法释〔2013〕17号，2017年修正）"
        "第一条、第二条；《中华人民共和国刑法》第三百零七条之一"
    )
    assert citation_ids(basis) == "spc_defaulter_list_2017 art. 1, 2; criminal_law art. 307-1"


def test_suffixes_are_checked_on_the_leading_number_and_rendered() -> None:
    (c,) = parse_basis("spc_high_consumption_2015 art. 3 para. 1(9)")
    assert c.articles == ("3 para. 1(9)",)
    assert c.text("zh").endswith("第三条第一款第（九）项")
    (whole,) = parse_basis("rongzhengfa_2021_3 att. 1")
    assert whole.text() == (
        "Rongcheng Personal Integrity Points Management Measures (Rongzhengfa [2021] No. 3), "
        "Attachment 1"
    )


def test_yaml_flow_lists_keep_articles_with_their_citation() -> None:
    # YAML reads [a art. 1, 2, b art. 3] as three items; the 2 belongs to a
    assert citation_ids(parse_basis(["civil_code art. 61", 577, "criminal_law art. 201"])) == (
        "civil_code art. 61, 577; criminal_law art. 201"
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("TBD", "is not a citation"),
        ("none", "'none' is not an instrument"),
        ("x", "'x' is not an instrument"),
        ("", "an empty citation"),
        ([], "an empty legal basis"),
        ("civil_code art. 1", "civil_code art. 1 is not an article the registry lists"),
        ("civil_code", "civil_code is cited by article"),
        ("guofa_2014_21 art. 3", "guofa_2014_21 is cited whole"),
        ("rongzhengfa_2021_3 att. 9", "has no attachment '9'"),
        ("civil_code art. 61x", "is not an article"),
        (3.5, "a legal basis is a list of citations"),
        ({"not": "a list"}, "is not a citation"),
        ({"instrument": "made_up", "articles": ["1"]}, "'made_up' is not an instrument"),
    ],
)
def test_what_is_not_a_citation_is_refused(value: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_basis(value if not isinstance(value, dict) else [value])


def test_catalogue_items_cite_the_registry_and_keep_their_periods() -> None:
    items = shipped_catalogue()
    court = items["judicial.judgment_default"]
    assert court.max_days == 730 and court.extension is not None
    assert (court.extension.min_days, court.extension.max_days) == (365, 1095)
    assert court.longest_days() == 1825
    assert items["registry.person"].attributes["birth_date"].scope_only
    roles = {r for i in items.values() for a in i.attributes.values() for r in a.role}
    assert set(LEGAL_ROLES) <= roles and {"office", "court", "counterparty"} <= roles
    for item in items.values():
        assert item.legal_basis, item.id
        for name in item.attributes:
            assert protected_ground(name) is None or item.attributes[name].scope_only, name


def test_basic_list_items_stay_within_the_other_lists() -> None:
    items, actions = shipped_catalogue(), action_catalogue()
    for item in shipped_basic_list().values():
        assert set(item.triggers) <= set(items), item.id
        assert set(item.actions) <= set(actions), item.id
        assert {c.source.level for c in item.legal_basis} & set(PUNISHING_LEVELS), item.id


def test_the_action_catalogue_holds_every_action_a_shipped_measure_uses() -> None:
    used = {a for p in default_packs() for m in p.measures.values() for a in m.actions}
    assert used <= set(action_catalogue())
    assert action_catalogue()["transport.air.ticket"].title_zh == "乘坐飞机"


def test_every_shipped_citation_resolves_and_packs_name_their_items() -> None:
    for pack in default_packs():
        for name, cat in pack.categories.items():
            assert cat.kind == "remedy" or cat.catalogue_item, name
        for m in pack.measures.values():
            assert m.legal_basis and m.basis_text
            assert (m.basic_list_item is not None) == (m.effect in ("deny", "restrict", "review"))


def test_the_active_additions_are_listed_for_review() -> None:
    found = active_additions(default_packs())
    assert {(a.pack, a.kind, a.id) for a in found} == {
        ("rongcheng", "catalogue", "social.utility_arrears"),
        ("rongcheng", "catalogue", "civic.blood_donation"),
        ("rongcheng", "catalogue", "civic.volunteer_hours"),
        ("rongcheng", "catalogue", "civic.heroic_act"),
    }
    assert all("Shandong Province Social Credit Regulations" in a.legal_basis for a in found)
