"""remedies.yaml: loading (errors name file, entry and field), the lint, the settings
that apply to a subject, and the repair terms of records and lists."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from socialcredit.errors import PolicyError
from socialcredit.policy.lint import lint_packs
from socialcredit.policy.pack import Pack, default_packs, load_pack_files, pack_folder
from socialcredit.policy.policy_set import PolicySet
from socialcredit.policy.remedies import RemedySettings
from socialcredit.remedies.pack_settings import list_terms, record_terms, settings_for

NATIONAL = pack_folder("national")


def national(**files: str) -> Pack:
    texts = {p.name: p.read_text("utf-8") for p in sorted(NATIONAL.glob("*.yaml"))}
    texts.update({name.replace("_", ".", 1): textwrap.dedent(t) for name, t in files.items()})
    return load_pack_files(texts, Path("national"))


def problems_with(**files: str) -> list[str]:
    others = [p for p in default_packs() if p.name != "national"]
    return lint_packs([national(**files), *others])


def test_the_national_pack_ships_remedies_and_is_lawful() -> None:
    packs = default_packs()
    assert lint_packs(packs) == []
    remedies = packs[0].remedies
    assert remedies is not None
    d = remedies.deadlines
    assert (d.accept_working_days, d.answer_working_days, d.review_days) == (2, 10, 15)
    assert (d.appeal_days, d.appeal_decision_days) == (10, 15)
    assert remedies.reviewers.appeal != remedies.reviewers.objection
    assert remedies.repair.records["general"].min_days == 90
    assert remedies.repair.records["serious"].min_days == 365
    assert remedies.repair.lists["court_defaulters"].repairable is False


def test_structure_errors_name_file_entry_and_field() -> None:
    with pytest.raises(PolicyError) as err:
        national(
            remedies_yaml="""
            deadlines: {accept_working_days: 0, answer_in: 3}
            repair:
              records:
                general: {requires: [pledge]}
                reward: {min_days: 0}
              lists:
                court_defaulters: {repairable: false}
            surprise: 1
            """
        )
    problems = err.value.problems
    assert "remedies.yaml: surprise: unknown section" in problems
    assert any(p.startswith("remedies.yaml: deadlines: accept_working_days: ") for p in problems)
    assert any(p.startswith("remedies.yaml: deadlines: answer_in: ") for p in problems)
    assert any(
        "repair.records.general: (entry): Value error, a repairable entry needs" in p
        for p in problems
    )
    assert any(
        "repair.lists.court_defaulters: (entry): Value error, say why" in p for p in problems
    )
    assert any(p.startswith("remedies.yaml: repair: records.reward") for p in problems)


def test_the_lint_keeps_bounds_references_and_a_second_reviewer() -> None:
    problems = problems_with(
        remedies_yaml="""
        reviewers: {objection: reviewer, appeal: reviewer}
        repair:
          records:
            serious: {min_days: 30}
          sector_minimum: {food: 100, cosmetics: 2000}
          categories:
            nothing.here: {min_days: 10}
            registry.consent: {min_days: 10}
            market.administrative_penalty: {min_days: 10}
            judicial.civil_breach: {min_days: 90, requires: [fulfilment]}
          lists:
            tax_a_grade: {min_days: 10}
            no_such_list: {min_days: 10}
            serious_illegal_dishonest_enterprises: {min_days: 1095}
        """
    )
    expected = [
        "national: remedies.yaml: reviewers: appeal: appeals go to a second reviewer",
        "national: remedies.yaml: repair.records.serious: min_days: 30 is outside 365..1095",
        "national: remedies.yaml: repair.sector_minimum.food: 100 days is outside 365..1095",
        "national: remedies.yaml: repair.sector_minimum.cosmetics: 2000 days is outside 0..1095",
        "national: remedies.yaml: repair.categories.nothing.here: no category matches",
        "national: remedies.yaml: repair.categories.registry.consent: 'registry.consent' is a "
        "registry category",
        "national: remedies.yaml: repair.categories.market.administrative_penalty: min_days: 10 "
        "is outside 90..365",
        "national: remedies.yaml: repair.categories.judicial.civil_breach: fulfilment_categories",
        "national: remedies.yaml: repair.lists.tax_a_grade: 'tax_a_grade' is a red list",
        "national: remedies.yaml: repair.lists.no_such_list: no list 'no_such_list'",
        "national: remedies.yaml: repair.lists.serious_illegal_dishonest_enterprises: min_days: "
        "1095 is not shorter than the list's longest term",
    ]
    for text in expected:
        assert any(p.startswith(text) for p in problems), (text, problems)
    assert len(problems) == len(expected), problems


def test_remedy_categories_are_never_scored_listed_or_used_as_enders() -> None:
    scoring = (NATIONAL / "scoring.yaml").read_text("utf-8") + textwrap.indent(
        textwrap.dedent(
            """
            - id: test.objector
              scheme: national
              category: remedy.objection_filed
              points: -5
              legal_basis: civil_code art. 577
            - id: test.ender
              scheme: national
              category: judicial.civil_breach
              points: -5
              ended_by: [remedy.repair_decided]
            """
        ),
        "  ",
    )
    lists = (NATIONAL / "lists.yaml").read_text("utf-8") + textwrap.indent(
        textwrap.dedent(
            """
            objectors:
              title: Objectors
              kind: black
              domain: judicial
              authority: nobody
              subjects: [person]
              legal_basis: civil_code art. 577
              notice_days: 10
              entry: {categories: [remedy.objection_filed]}
              term: {days: 30}
              removal: {categories: [remedy.repair_decided]}
            """
        ),
        "  ",
    )
    problems = problems_with(scoring_yaml=scoring, lists_yaml=lists)
    assert any(
        "rules[" in p
        and "(test.objector): category: 'remedy.objection_filed' is a remedy category: only conduct"
        in p
        for p in problems
    ), problems
    assert any(
        "(test.ender): ended_by: 'remedy.repair_decided' is a remedy category" in p
        for p in problems
    )
    assert any(
        "lists.yaml: objectors: entry.categories: 'remedy.objection_filed' is a remedy "
        "category: only conduct lists" in p
        for p in problems
    )
    assert any(
        "lists.yaml: objectors: removal.categories: 'remedy.repair_decided' is a remedy" in p
        for p in problems
    )


def local_pack(name: str, jurisdiction: str, remedies: str) -> Pack:
    files = {
        "pack.yaml": f"name: {name}\nversion: '1'\ntitle: T\njurisdiction: '{jurisdiction}'\n",
        "remedies.yaml": textwrap.dedent(remedies),
    }
    return load_pack_files(files, Path(name))


def test_the_most_specific_pack_covering_the_subject_wins() -> None:
    shandong = local_pack(
        "sd",
        "370000",
        """
        deadlines: {answer_working_days: 5}
        repair:
          records: {general: {min_days: 180, requires: [pledge, course]}}
        """,
    )
    weihai = local_pack("wh", "371000", "reviewers: {objection: city-reviewer}\n")
    policy = PolicySet([*default_packs(), weihai, shandong])
    here = settings_for(policy, "371082")
    assert here.deadlines.answer_working_days == 5
    assert here.deadlines.accept_working_days == 2
    assert here.reviewers.objection == "city-reviewer"
    assert here.repair.records["general"].min_days == 180
    assert here.repair.records["serious"].min_days == 365  # from the national pack
    elsewhere = settings_for(policy, "110105")
    assert elsewhere.deadlines.answer_working_days == 10
    assert elsewhere.repair.records["general"].min_days == 90
    assert settings_for(PolicySet([weihai]), "110105") == RemedySettings()


def test_repair_terms_of_records_and_lists() -> None:
    policy = PolicySet(default_packs())
    settings = settings_for(policy, "371082")
    cat = policy.catalogue
    penalty = record_terms(settings, cat["market.administrative_penalty"], {"penalty": "fine"})
    assert penalty.repairable and penalty.min_days == 90
    food = record_terms(settings, cat["market.administrative_penalty"], {"sector": "food"})
    assert food.min_days == 365  # NDRC Order No. 58 art. 7
    breach = record_terms(settings, cat["judicial.civil_breach"], {})
    assert breach.rule is not None and breach.rule.fulfilment_categories
    default = record_terms(settings, cat["judicial.judgment_default"], {})
    assert not default.repairable and "courts" in default.reason
    assert not record_terms(settings, cat["registry.consent"], {}).repairable
    reward = record_terms(settings, cat["civic.blood_donation"], {})
    assert not reward.repairable and "nothing to repair" in reward.reason
    assert list_terms(settings, "serious_illegal_dishonest_enterprises").min_days == 365
    assert not list_terms(settings, "court_defaulters").repairable
    assert "no credit repair" in list_terms(settings, "rongcheng_honour").reason
