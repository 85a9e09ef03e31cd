"""disclosure.yaml: loaded with the pack, every structural problem named, defaults when
no active pack declares any."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from socialcredit.errors import PolicyError
from socialcredit.policy.disclosure import DEFAULT
from socialcredit.policy.pack import PACKS_DIR, default_packs, load_pack
from socialcredit.policy.policy_set import PolicySet


def test_the_national_pack_publishes_the_court_list_masked_and_organisations_whole() -> None:
    rules = load_pack("national").disclosure
    assert rules is not None
    person, firm = rules.person, rules.enterprise
    assert (person.name, person.identifier, person.grades, person.scores) == (
        "masked",
        "masked",
        False,
        False,
    )
    assert person.black_lists and person.red_lists and not person.decisions
    assert (firm.name, firm.identifier, firm.grades, firm.decisions) == ("full", "full", True, True)
    assert rules.institution == firm
    assert PolicySet(default_packs()).disclosure == rules


def test_without_any_disclosure_file_the_defaults_apply() -> None:
    pack = load_pack("food-drug")
    assert pack.disclosure is None
    assert PolicySet([pack]).disclosure == DEFAULT
    assert not DEFAULT.person.grades and DEFAULT.person.name == "masked"


def test_every_structural_problem_is_named(tmp_path: Path) -> None:
    folder = tmp_path / "national"
    shutil.copytree(PACKS_DIR / "national", folder)
    (folder / "disclosure.yaml").write_text(
        "person: {name: shown, colour: true}\ndecision_days: 5000\n", encoding="utf-8"
    )
    with pytest.raises(PolicyError) as info:
        load_pack(folder)
    problems = info.value.problems
    assert any(p.startswith("disclosure.yaml: person.name:") for p in problems), problems
    assert any(p.startswith("disclosure.yaml: person.colour:") for p in problems), problems
    assert any(p.startswith("disclosure.yaml: decision_days:") for p in problems), problems


def test_a_disclosure_that_is_not_a_mapping_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "national"
    shutil.copytree(PACKS_DIR / "national", folder)
    (folder / "disclosure.yaml").write_text("- person\n", encoding="utf-8")
    with pytest.raises(PolicyError) as info:
        load_pack(folder)
    assert "disclosure.yaml: must be a mapping of subject kind to what is published" in (
        info.value.problems
    )


def test_every_list_measure_and_scheme_has_a_chinese_title_and_authority() -> None:
    for pack in default_packs():
        for d in (*pack.lists.values(), *pack.measures.values(), *pack.scoring.schemes.values()):
            assert d.title_zh, (pack.name, d.name)
        for lst in pack.lists.values():
            assert lst.authority_zh, (pack.name, lst.name)
    court = load_pack("national").lists["court_defaulters"]
    assert court.title_zh == "失信被执行人名单"
