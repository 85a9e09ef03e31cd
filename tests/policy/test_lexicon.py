"""The protected-grounds lexicon: whole tokens, camelCase, plurals, look-alikes, pinyin, Chinese."""

from __future__ import annotations

import pytest

from socialcredit.policy.protected import lookalike, protected_ground, tokens


@pytest.mark.parametrize(
    ("name", "ground"),
    [
        ("ethnicGroup", "ethnicity"),
        ("races", "ethnicity"),
        ("group_uyghur", "ethnicity"),
        ("date-of-birth", "age"),
        ("birth_year", "age"),
        ("native_place", "birthplace"),
        ("hukou_origin", "birthplace"),
        ("sexual_orientation", "sex"),
        ("Families", "family and social ties"),
        ("finance.linked_party_default", "family and social ties"),
        ("zongjiao", "religion or belief"),
        ("veil_wearing", "religion or belief"),
        ("rel\u0456gion", "religion or belief"),  # a Cyrillic i
        ("social.leapfrog_visit_beijing", "political opinion or speech"),
        ("online_false_information", "political opinion or speech"),
        ("信访记录", "political opinion or speech"),
        ("民族", "ethnicity"),
        ("家属违约", "family and social ties"),
    ],
)
def test_protected_names_are_found(name: str, ground: str) -> None:
    found = protected_ground(name)
    assert found is not None and found.startswith(ground), found


@pytest.mark.parametrize(
    "name",
    [
        "civic.blood_donation",
        "blood_alcohol_mg",
        "message",
        "usage",
        "elderly_care",
        "serious_illness",
        "public_health",
        "false_information",
        "Natural person (household registration)",
        "Drug or medical device safety violation",
        "minor",
        "counterparty",
        "market.drug_safety_violation",
    ],
)
def test_innocent_names_pass(name: str) -> None:
    assert protected_ground(name) is None


def test_tags_and_tokens() -> None:
    assert protected_ground("condition", ("protected:health",)) == "tag 'protected:health'"
    assert tokens("ethnicGroupCode.v2-x") == ["ethnic", "group", "code", "v2", "x"]
    assert lookalike("rel\u0456gion") and not lookalike("judicial.judgment_default")
