import pytest

from socialcredit.identifiers import InvalidIdentifier, area_name, mask, parse

from support.factories import PERSON, org_id, person_id


def test_resident_identity_number_names_a_person_and_nothing_else() -> None:
    ident = parse(PERSON)
    assert ident.kind == "person"
    # the digits' meaning (area, birth date, sex) is not exposed: docs/safeguards.md
    assert not any(hasattr(ident, name) for name in ("area", "province", "birth_date", "sex"))


def test_lowercase_check_character_is_accepted_and_normalised() -> None:
    assert parse(PERSON.lower()).value == PERSON


def test_uscc_of_an_enterprise_and_of_an_institution() -> None:
    assert parse(org_id("9", "1")).kind == "enterprise"
    assert parse(org_id("1", "1")).kind == "institution"
    assert parse(org_id("5", "1")).kind == "institution"
    assert parse(org_id()).kind == "enterprise"


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("11010519491231002Y", "neither"),  # bad check character
        ("11010519491231002", "18 characters"),
        ("11010519491331002X", "resident identity number"),  # month 13
        ("99999919491231002X", "resident identity number"),  # checksum also wrong
        (person_id(area="371082", birth="19800101"), "resident identity number"),  # code not yet
        (org_id()[:-1] + ("0" if org_id()[-1] != "0" else "1"), "neither"),
        ("", "required"),
    ],
)
def test_invalid_identifiers_are_refused_with_a_reason(value: str, why: str) -> None:
    with pytest.raises(InvalidIdentifier) as info:
        parse(value, "attributes.person")
    assert info.value.code == "invalid_identifier"
    assert info.value.field == "attributes.person"
    assert why in info.value.message


def test_uscc_with_unknown_area_is_refused() -> None:
    with pytest.raises(InvalidIdentifier, match="unknown area code"):
        parse(org_id(area="990000"))


def test_area_names_and_masking() -> None:
    assert area_name("371082") == "山东省 荣成市"
    assert area_name("999999") is None
    assert mask(PERSON) == "110105********002X"


def test_a_uscc_that_reads_like_an_id_number_is_an_institution() -> None:
    # all digits, '11' + a province code + a date-like part: not a person's number
    ident = parse("113710008607014050")
    assert ident.kind == "institution"
