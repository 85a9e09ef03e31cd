from socialcredit.masking import mask_identifier, mask_name


def test_a_resident_id_shows_the_first_six_and_last_four_and_an_uscc_is_public() -> None:
    assert mask_identifier("11010519491231002x") == "110105********002X"
    assert mask_identifier("91371082MA3C4D5E6X") == "91371082MA3C4D5E6X"


def test_a_name_keeps_its_surname_compound_ones_whole() -> None:
    assert mask_name("张伟") == "张*"
    assert mask_name("欧阳娜娜") == "欧阳**"
    assert mask_name("欧阳") == "欧*"
    assert mask_name("王") == "王*"
    assert mask_name("Zhang Wei") == "Zhang ***"
