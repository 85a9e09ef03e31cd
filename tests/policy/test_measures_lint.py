"""Lists and measures: loading, the lists lint (one test per refusal) and the shipped content.

Small packs are written to ``tmp_path`` from Python dicts: a valid black list,
red list, punishing and rewarding measure, each test changing one field.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from socialcredit.errors import PolicyError
from socialcredit.policy.lint import lint_packs
from socialcredit.policy.lint_lists import lint_lists
from socialcredit.policy.pack import Pack, default_packs, load_pack
from socialcredit.policy.policy_set import PolicySet

from support.law import test_law, with_items

CATEGORIES = """
categories:
  test.default:
    title: Default
    domain: judicial
    severity: serious
    subjects: [person, enterprise]
    case_key: case_no
    legal_basis: civil_code art. 577
    attributes:
      case_no: {type: string, required: true}
      ground: {type: enum, values: [a, b]}
      aggravated: {type: boolean}
      ext_days: {type: integer, min: 365, max: 1095}
      partner: {type: identifier, kinds: [person]}
      religion: {type: string}
  test.paid:
    title: Paid
    domain: judicial
    subjects: [person, enterprise]
    case_key: case_no
    legal_basis: civil_code art. 577
    attributes:
      case_no: {type: string, required: true}
  test.keyless:
    title: Without case key
    domain: judicial
    subjects: [person, enterprise]
    legal_basis: civil_code art. 577
  test.personal:
    title: About persons only
    domain: social
    severity: minor
    subjects: [person]
    legal_basis: civil_code art. 577
  registry.firm:
    title: Firm
    kind: registry
    subjects: [enterprise]
    legal_basis: market_entity_registration_regulation art. 8
"""
SCORING = """
schemes:
  pts:
    title: City points
    kind: points
    consent: true
    subjects: [person]
    base: 1000
    bands: [{grade: A, min: 1050}, {grade: B}]
    legal_basis: rongzhengfa_2021_3
  rating:
    title: Rating
    subjects: [person, enterprise]
    base: 100
    bands: [{grade: A, min: 90}, {grade: D}]
    legal_basis: guofa_2014_21
"""
BLACK: dict[str, Any] = {
    "title": "Defaulters",
    "kind": "black",
    "domain": "judicial",
    "authority": "Courts",
    "subjects": ["person", "enterprise"],
    "legal_basis": "spc_defaulter_list_2017 art. 1",
    "notice_days": 10,
    "entry": {"categories": ["test.default"], "when": {"attr": "ground", "eq": "a"}},
    "term": {"days": 730, "extension": {"attribute": "ext_days"}},
    "removal": {"categories": ["test.paid"]},
    "overrides": [{"when": {"attr": "ground", "eq": "b"}, "until_removed": True,
                   "max_days": 1825}],
}  # fmt: skip
RED: dict[str, Any] = {
    "title": "Honour list",
    "kind": "red",
    "domain": "social",
    "authority": "City",
    "subjects": ["person"],
    "legal_basis": "rongzhengfa_2021_3",
    "entry": {"grade": {"scheme": "pts", "grades": ["A"]}},
}
DENY: dict[str, Any] = {
    "title": "No flights",
    "actions": ["transport.air.ticket"],
    "effect": "deny",
    "lists": ["black1"],
    "agencies": ["Airlines"],
    "targets": ["subject", "legal_representative"],
    "legal_basis": "spc_high_consumption_2015 art. 3",
    "basic_list_item": "flights",
}
BASIC_LIST: dict[str, Any] = {
    "flights": {
        "legal_basis": "spc_high_consumption_2015 art. 3",
        "effect": "deny",
        "actions": ["transport.air.ticket"],
        "targets": ["subject", "legal_representative"],
        "triggers": ["test.default"],
        "max_days": 1825,
    }
}
ITEMS_EXTRA = {"test.default": {"extension": {"attribute": "ext_days", "min_days": 365,
                                              "max_days": 1095}}}  # fmt: skip
REWARD: dict[str, Any] = {
    "title": "Discount",
    "actions": ["utilities.bill"],
    "effect": "discount",
    "condition": "10% off",
    "lists": ["red1"],
    "agencies": ["Utility"],
    "legal_basis": "rongzhengfa_2021_3",
    "domains": ["social"],
}


def changed(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """A deep copy of ``base`` with ``changes`` applied; a change to None removes the key."""
    out = copy.deepcopy(base)
    for key, value in changes.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = value
    return out


def make_pack(
    root: Path,
    lists: dict[str, Any] | None = None,
    measures: dict[str, Any] | None = None,
    *,
    name: str = "t",
) -> Pack:
    folder = root / name
    folder.mkdir(parents=True)
    meta = f"name: {name}\nversion: '1'\ntitle: T\njurisdiction: national\n"
    (folder / "pack.yaml").write_text(meta, encoding="utf-8")
    (folder / "categories.yaml").write_text(with_items(CATEGORIES), encoding="utf-8")
    (folder / "scoring.yaml").write_text(SCORING, encoding="utf-8")
    lists = {"black1": BLACK, "red1": RED} if lists is None else lists
    measures = {"m1": DENY, "m2": REWARD} if measures is None else measures
    for file, key, value in (
        ("lists.yaml", "lists", lists),
        ("measures.yaml", "measures", measures),
    ):
        (folder / file).write_text(yaml.safe_dump({key: value}), encoding="utf-8")
    return load_pack(folder)


def law_of(packs: list[Pack]) -> Any:
    return test_law(packs, BASIC_LIST, ITEMS_EXTRA)


def lint_all(packs: list[Pack]) -> list[str]:
    return lint_lists(packs, law_of(packs))


def lint(root: Path, lists: dict[str, Any] | None = None, **measures: Any) -> list[str]:
    ms = {"m1": DENY, "m2": REWARD, **measures} if measures else None
    full = None if lists is None else {"black1": BLACK, "red1": RED, **lists}
    return lint_all([make_pack(root, full, ms)])


def test_a_small_valid_pack_lints_clean(tmp_path: Path) -> None:
    pack = make_pack(tmp_path)
    assert lint_all([pack]) == []
    assert set(pack.lists) == {"black1", "red1"} and set(pack.measures) == {"m1", "m2"}


# -- lists ------------------------------------------------------------------------------


def test_a_list_without_legal_basis_is_refused(tmp_path: Path) -> None:
    problems = lint(tmp_path, {"black1": changed(BLACK, legal_basis=None)})
    assert problems == ["t: lists.yaml: black1: legal_basis: a list needs a legal basis"]


def test_a_black_list_without_notice_needs_a_basis(tmp_path: Path) -> None:
    problems = lint(tmp_path, {"black1": changed(BLACK, notice_days=0)})
    assert len(problems) == 1
    assert problems[0].startswith(
        "t: lists.yaml: black1: zero_notice_basis: a black list with notice_days 0 must cite"
    )
    ok = changed(BLACK, notice_days=0, zero_notice_basis="spc_high_consumption_2015 art. 5")
    assert lint(tmp_path / "b", {"black1": ok}) == []


def test_notice_is_at_most_three_months(tmp_path: Path) -> None:
    problems = lint(tmp_path, {"black1": changed(BLACK, notice_days=120)})
    assert problems == ["t: lists.yaml: black1: notice_days: 120 is beyond 90 days"]


def test_until_removed_needs_max_days(tmp_path: Path) -> None:
    term = {"until_removed": True}
    problems = lint(tmp_path, {"black1": changed(BLACK, term=term, overrides=None)})
    assert problems == [
        "t: lists.yaml: black1: term.max_days: required when until_removed (nothing lasts forever)"
    ]
    override = [{"when": {"attr": "ground", "eq": "b"}, "until_removed": True}]
    problems = lint(tmp_path / "b", {"black1": changed(BLACK, overrides=override)})
    assert problems == [
        "t: lists.yaml: black1: overrides[0].max_days: required when until_removed "
        "(nothing lasts forever)"
    ]


def test_a_fixed_term_needs_days_and_a_record_list_a_term(tmp_path: Path) -> None:
    problems = lint(tmp_path, {"black1": changed(BLACK, term={"max_days": 100}, overrides=None)})
    assert problems == ["t: lists.yaml: black1: term.days: required unless until_removed"]
    problems = lint(tmp_path / "b", {"black1": changed(BLACK, term=None, overrides=None)})
    assert problems == [
        "t: lists.yaml: black1: term: a record-based list needs a term (nothing lasts forever)"
    ]


@pytest.mark.parametrize(
    ("term", "overrides", "expected"),
    [
        ({"days": 0}, None, "term.days: 0 is outside 1..1825 days"),
        ({"days": 4000}, None, "term.days: 4000 is outside 1..1825 days"),
        ({"until_removed": True, "max_days": 3650}, None, "term.max_days: 3650 is outside"),
        ({"days": 730}, [{"when": {"attr": "ground", "eq": "b"}, "days": 9000}],
         "overrides[0].days: 9000 is outside 1..1825 days"),
    ],
)  # fmt: skip
def test_terms_are_within_bounds(
    tmp_path: Path, term: dict[str, Any], overrides: list[Any] | None, expected: str
) -> None:
    problems = lint(tmp_path, {"black1": changed(BLACK, term=term, overrides=overrides)})
    assert any(p.startswith(f"t: lists.yaml: black1: {expected}") for p in problems), problems


def test_an_extension_is_read_from_an_integer_attribute_the_item_bounds(
    tmp_path: Path,
) -> None:
    term = {"days": 730, "extension": {"attribute": "aggravated"}}
    problems = lint(tmp_path, {"black1": changed(BLACK, term=term)})
    assert problems == [
        "t: lists.yaml: black1: term.extension.attribute: category 'test.default' declares no "
        "integer attribute 'aggravated'",
        "t: lists.yaml: black1: term.extension: catalogue item 'test.default' sets no per-case "
        "extension in 'aggravated'",
    ]


def test_a_black_list_never_follows_a_grade(tmp_path: Path) -> None:
    black = changed(BLACK, entry={"grade": {"scheme": "pts", "grades": ["B"]}}, term=None,
                    removal=None, overrides=None, subjects=["person"])  # fmt: skip
    problems = lint(tmp_path, {"black1": black}, m1=changed(DENY, targets=["subject"]))
    assert problems[0].startswith(
        "t: lists.yaml: black1: entry.grade: a black list is triggered only by records of "
        "named categories, never by a score or grade"
    )
    on_rating = changed(black, entry={"grade": {"scheme": "rating", "grades": ["D"]}})
    problems = lint(tmp_path / "b", {"black1": on_rating}, m1=changed(DENY, targets=["subject"]))
    assert any(
        "black1: entry.grade: a black list is triggered only by records" in p for p in problems
    )


def test_a_red_list_on_grades_asks_more_than_the_base(tmp_path: Path) -> None:
    rating = {"grade": {"scheme": "rating", "grades": ["A"]}}  # base 100 is grade A
    problems = lint(tmp_path, {"red1": changed(RED, entry=rating, subjects=["person"])})
    assert problems == [
        "t: lists.yaml: red1: entry.grade.grades: a reward must ask more than the default: every "
        "grade must rank above 'A', the grade of a subject with no records (base 100); a reward "
        "to all but the lowest grades is a punishment"
    ]


def test_grade_entries_name_a_scheme_and_its_grades(tmp_path: Path) -> None:
    red = changed(RED, entry={"grade": {"scheme": "pts", "grades": ["AAA"]}})
    assert lint(tmp_path, {"red1": red}) == [
        "t: lists.yaml: red1: entry.grade.grades: 'AAA' is not a grade of 'pts' ['A', 'B']"
    ]
    red = changed(RED, entry={"grade": {"scheme": "ghost", "grades": ["A"]}})
    assert lint(tmp_path / "b", {"red1": red}) == [
        "t: lists.yaml: red1: entry.grade.scheme: no scheme 'ghost' in the active packs"
    ]
    red = changed(RED, term={"days": 30})
    assert lint(tmp_path / "c", {"red1": red}) == [
        "t: lists.yaml: red1: term: a grade-based list holds for the day its grade is "
        "evaluated: it takes no term, removal or overrides"
    ]


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ({"categories": ["test.nope"]}, "entry.categories: no category 'test.nope' in the active"),
        ({"categories": ["registry.firm"]},
         "entry.categories: 'registry.firm' is a registry category: only conduct lists"),
        ({"categories": ["test.default"], "when": {"attr": "colour", "eq": "red"}},
         "entry.when.attr: category 'test.default' declares no attribute 'colour'"),
        ({"categories": ["test.default"], "when": {"all": [{"attr": "partner", "exists": True}]}},
         "entry.when.all[0].attr: reads identifier attribute 'partner'"),
        ({"categories": ["test.default"], "when": {"not": {"attr": "religion", "eq": "x"}}},
         "entry.when.not.attr: reads protected attribute 'religion'"),
    ],
)  # fmt: skip
def test_entries_read_known_conduct_and_declared_attributes(
    tmp_path: Path, entry: dict[str, Any], expected: str
) -> None:
    problems = lint(tmp_path, {"black1": changed(BLACK, entry=entry, removal=None, overrides=None)})
    listed = [p for p in problems if p.startswith("t: lists.yaml: black1: ")]
    assert any(expected in p for p in listed), problems


def test_a_list_and_its_categories_share_a_kind_of_subject(tmp_path: Path) -> None:
    black = changed(BLACK, subjects=["enterprise"], entry={"categories": ["test.personal"]},
                    term={"days": 730}, removal=None, overrides=None)  # fmt: skip
    problems = lint(tmp_path, {"black1": black})
    assert [p for p in problems if "lists.yaml" in p] == [
        "t: lists.yaml: black1: entry.categories: 'test.personal' is about ['person'], "
        "the list is for ['enterprise']"
    ]


def test_override_and_extension_conditions_are_checked_too(tmp_path: Path) -> None:
    overrides = [{"when": {"attr": "colour", "eq": "b"}, "days": 100}]
    problems = lint(tmp_path, {"black1": changed(BLACK, overrides=overrides)})
    assert problems == [
        "t: lists.yaml: black1: overrides[0].when.attr: category 'test.default' declares no "
        "attribute 'colour'"
    ]


def test_removal_categories_exist_and_share_the_act(tmp_path: Path) -> None:
    problems = lint(tmp_path, {"black1": changed(BLACK, removal={"categories": ["test.nope"]})})
    assert problems == [
        "t: lists.yaml: black1: removal.categories: no category 'test.nope' in the active packs"
    ]
    problems = lint(
        tmp_path / "b", {"black1": changed(BLACK, removal={"categories": ["test.keyless"]})}
    )
    assert problems == [
        "t: lists.yaml: black1: removal.categories: 'test.default' and 'test.keyless' must "
        "both name a case_key for a removal to concern the same act (or say `match: subject`)"
    ]
    # a later record of the subject needs no case key; its `when` reads declared attributes
    subject_wide = {"categories": ["test.keyless"], "match": "subject"}
    assert lint(tmp_path / "c", {"black1": changed(BLACK, removal=subject_wide)}) == []
    rules = [
        {"categories": ["test.paid"]},
        {"categories": ["test.keyless"], "match": "subject", "when": {"attr": "x", "eq": 1}},
    ]
    assert lint(tmp_path / "d", {"black1": changed(BLACK, removal=rules)}) == [
        "t: lists.yaml: black1: removal[1].when.attr: category 'test.keyless' declares no "
        "attribute 'x'"
    ]


def test_a_removal_matches_an_act_or_the_subject(tmp_path: Path) -> None:
    bad = {"categories": ["test.paid"], "match": "household"}
    with pytest.raises(PolicyError) as err:
        lint(tmp_path, {"black1": changed(BLACK, removal=bad)})
    assert "lists.yaml: black1: removal.0.match" in str(err.value.problems)


# -- measures ---------------------------------------------------------------------------


def test_a_measure_without_legal_basis_is_refused(tmp_path: Path) -> None:
    problems = lint(tmp_path, m1=changed(DENY, legal_basis=None, targets=["subject"]))
    assert problems == ["t: measures.yaml: m1: legal_basis: a measure needs a legal basis"]


def test_role_targets_need_a_basis_and_listed_organisations(tmp_path: Path) -> None:
    problems = lint(tmp_path, m1=changed(DENY, legal_basis=None))
    assert "t: measures.yaml: m1: targets: ['legal_representative'] need a legal basis" in (
        " ".join(problems)
    )
    persons_only = {"black1": changed(BLACK, subjects=["person"])}
    problems = lint(
        tmp_path / "b", persons_only, m1=changed(DENY, targets=["legal_representative"])
    )
    assert problems == [
        "t: measures.yaml: m1: targets: ['legal_representative'] reach persons holding a role in "
        "a listed "
        "organisation, but none of the measure's lists lists organisations"
    ]


def test_a_measure_names_its_agencies(tmp_path: Path) -> None:
    assert lint(tmp_path, m1=changed(DENY, agencies=[])) == [
        "t: measures.yaml: m1: agencies: name the agencies that enforce the measure"
    ]


def test_punishments_follow_black_lists_and_rewards_red_lists(tmp_path: Path) -> None:
    deny = changed(DENY, lists=["red1"], targets=["subject"])
    problems = lint(tmp_path, m1=deny)
    assert problems == [
        "t: measures.yaml: m1: lists: 'red1' is a red list: a deny measure may follow only "
        "black lists",
        "t: measures.yaml: m1: lists: 'red1' follows points scheme 'pts': a points scheme may "
        "only reward (Rongzhengfa [2021] No. 3: a low score alone never triggers a penalty)",
    ]
    problems = lint(tmp_path / "b", m2=changed(REWARD, lists=["black1"], domains=["judicial"]))
    assert problems == [
        "t: measures.yaml: m2: lists: 'black1' is a black list: a discount measure may follow "
        "only red lists"
    ]


@pytest.mark.parametrize("effect", ["review", "restrict"])
def test_review_and_restrict_punish_too(tmp_path: Path, effect: str) -> None:
    m = changed(DENY, effect=effect, lists=["red1"], domains=["social"], condition="c",
                targets=["subject"])  # fmt: skip
    problems = lint(tmp_path, m1=m)
    assert f"'red1' is a red list: a {effect} measure may follow only black lists" in problems[0]


def test_proportionality_comes_from_the_basic_list_item_triggers(tmp_path: Path) -> None:
    assert lint(tmp_path, m1=changed(DENY, domains=["judicial", "commercial", "social"])) == [
        "t: measures.yaml: m1: domains: a punishing measure takes its proportionality from its "
        "Basic List item's triggers, not from declared domains: remove `domains`"
    ]
    keyless = changed(BLACK, entry={"categories": ["test.keyless"]}, removal=None, overrides=None,
                      term={"days": 730})  # fmt: skip
    assert lint(tmp_path / "b", {"black1": keyless}) == [
        "t: measures.yaml: m1: lists: 'black1' lists on 'test.keyless' (test.keyless), which "
        "Basic List item 'flights' does not follow (triggers: ['test.default']): proportionality"
    ]


def test_a_reward_follows_lists_of_its_domains(tmp_path: Path) -> None:
    assert lint(tmp_path, m2=changed(REWARD, domains=["commercial"])) == [
        "t: measures.yaml: m2: domains: list 'red1' is in the social domain, not in "
        "['commercial']: a reward follows lists of its domains"
    ]


def test_measure_lists_exist(tmp_path: Path) -> None:
    assert lint(tmp_path, m1=changed(DENY, lists=["black1", "ghost"])) == [
        "t: measures.yaml: m1: lists: no list 'ghost' in the active packs"
    ]


@pytest.mark.parametrize(
    "code",
    ["flight", "Transport.air", "transport..air", "transport.air-ticket", "transport.", ".air",
     "transport.air ticket", "1transport.air"],
)  # fmt: skip
def test_action_codes_are_well_formed(tmp_path: Path, code: str) -> None:
    problems = lint(tmp_path, m1=changed(DENY, actions=["transport.air.ticket", code]))
    assert (
        f"t: measures.yaml: m1: actions: '{code}' is not an action code 'area.thing[.more]' "
        "in snake case"
    ) in problems
    assert f"t: measures.yaml: m1: actions: '{code}' is not in the action catalogue" in problems


@pytest.mark.parametrize("effect", ["restrict", "discount"])
def test_restrict_and_discount_say_their_condition(tmp_path: Path, effect: str) -> None:
    base = DENY if effect == "restrict" else REWARD
    key = "m1" if effect == "restrict" else "m2"
    problems = lint(tmp_path, **{key: changed(base, effect=effect, condition=None)})
    assert problems == [
        f"t: measures.yaml: {key}: condition: a {effect} measure says what it allows or grants"
    ]


def test_names_are_unique_across_packs(tmp_path: Path) -> None:
    first = make_pack(tmp_path)
    second = make_pack(tmp_path, {"black1": BLACK}, {"m1": DENY}, name="u")
    problems = lint_all([first, second])
    assert problems == [
        "u: lists.yaml: black1: name: also in pack t",
        "u: measures.yaml: m1: name: also in pack t",
    ]


def test_the_safeguards_lint_includes_the_lists_lint(tmp_path: Path) -> None:
    pack = make_pack(tmp_path, {"black1": changed(BLACK, legal_basis=None)}, {})
    problems = lint_packs([pack], law_of([pack]))
    assert "t: lists.yaml: black1: legal_basis: a list needs a legal basis" in problems


# -- loading ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lists", "measures", "expected"),
    [
        ({"black1": changed(BLACK, colour="red")}, {}, "lists.yaml: black1: colour: Extra inputs"),
        ({"black1": changed(BLACK, kind="grey")}, {}, "lists.yaml: black1: kind: Input should be"),
        ({"black1": changed(BLACK, entry={"categories": ["test.default"],
                                          "grade": {"scheme": "pts", "grades": ["A"]}})},
         {}, "lists.yaml: black1: entry: Value error, an entry names either `categories`"),
        ({"black1": changed(BLACK, term={"days": 10, "forever": True})}, {},
         "lists.yaml: black1: term.forever: Extra inputs"),
        ({}, {"m1": changed(DENY, effect="shame")}, "measures.yaml: m1: effect: Input should be"),
        ({}, {"m1": changed(DENY, targets=["spouse"])}, "measures.yaml: m1: targets.0: Input"),
        ({}, {"m1": changed(DENY, actions=[])}, "measures.yaml: m1: actions: Tuple should have"),
    ],
)  # fmt: skip
def test_loading_errors_name_file_entry_and_field(
    tmp_path: Path, lists: dict[str, Any], measures: dict[str, Any], expected: str
) -> None:
    with pytest.raises(PolicyError) as info:
        make_pack(tmp_path, lists, measures)
    assert any(p.startswith(expected) for p in info.value.problems), info.value.problems


def test_a_pack_without_lists_has_none() -> None:
    pack = load_pack("food-drug")
    assert (pack.lists, pack.measures) == ({}, {})


def test_lists_and_measures_are_stored_with_the_pack_files(tmp_path: Path) -> None:
    pack = make_pack(tmp_path)
    assert {"lists.yaml", "measures.yaml"} <= set(pack.files)


# -- the shipped lists and measures -----------------------------------------------------


@pytest.fixture(scope="module")
def policy() -> PolicySet:
    return PolicySet(default_packs())


def test_default_packs_lint_clean(policy: PolicySet) -> None:
    assert lint_lists(list(policy.packs)) == []
    assert lint_packs(list(policy.packs)) == []


def test_default_packs_carry_the_required_lists(policy: PolicySet) -> None:
    kinds = {name: (info.pack, info.definition.kind) for name, info in policy.lists.items()}
    assert kinds == {
        "court_defaulters": ("national", "black"),
        "high_consumption_restricted": ("national", "black"),
        "serious_illegal_dishonest_enterprises": ("national", "black"),
        "major_tax_violators": ("national", "black"),
        "abnormal_operations": ("national", "black"),
        "tax_d_grade": ("national", "black"),
        "tax_a_grade": ("national", "red"),
        "customs_advanced_certified": ("national", "red"),
        "rongcheng_honour": ("rongcheng", "red"),
    }
    court = policy.lists["court_defaulters"].definition
    grounds = policy.catalogue["judicial.judgment_default"].attributes["ground"].values
    assert grounds is not None and len(grounds) == 6
    assert court.term is not None and court.term.days == 730 and court.notice_days > 0
    assert [r.categories for r in court.removal] == [("judicial.judgment_fulfilled",)]
    honour = policy.lists["rongcheng_honour"].definition
    assert honour.entry.grade is not None and honour.entry.grade.scheme == "rongcheng"
    for info in policy.lists.values():
        assert info.definition.legal_basis, info.name


HC_ACTIONS = {
    1: {"transport.air.ticket", "transport.rail.soft_sleeper", "transport.ship.upper_class"},
    2: {"hospitality.star_hotel", "leisure.nightclub", "leisure.golf"},
    3: {"property.purchase", "property.luxury_renovation"},
    4: {"property.office_rental"},
    5: {"vehicle.purchase"},
    6: {"leisure.tourism"},
    7: {"education.private_school"},
    8: {"finance.high_premium_insurance"},
    9: {"transport.rail.high_speed"},
}


def test_the_nine_consumption_restrictions_are_separate_measures(policy: PolicySet) -> None:
    hc = {n: i.definition for n, i in policy.measures.items() if n.startswith("hc_")}
    assert len(hc) == 9
    roles = {"subject", "legal_representative", "principal_manager", "directly_responsible",
             "controller"}  # fmt: skip
    for item, actions in HC_ACTIONS.items():
        [m] = [m for name, m in hc.items() if name.startswith(f"hc_{item}_")]
        assert actions <= set(m.actions), m.name
        assert set(m.lists) == {"court_defaulters", "high_consumption_restricted"}
        assert set(m.targets) == roles, m.name
        assert f"3 para. 1({item})" in m.basis_text and "Fa Shi [2015] No. 17" in m.basis_text
        assert m.effect in ("deny", "restrict")
        if m.effect == "restrict":
            assert m.condition
    assert hc["hc_9_bullet_trains"].effect == "restrict"
    assert hc["hc_1_travel_class"].effect == "deny"


def test_joint_punishment_review_and_reward_measures(policy: PolicySet) -> None:
    effects: dict[str, set[str]] = {}
    for info in policy.measures.values():
        for action in info.definition.actions:
            effects.setdefault(action, set()).add(info.definition.effect)
    assert "deny" in effects["procurement.bid"]
    assert "deny" in effects["securities.issue"]
    assert effects["finance.loan"] == {"review"}
    for action in ("government.permit", "procurement.award_review", "employment.public_hiring",
                   "social_security.benefit_review", "research.funding",
                   "civil_service.appointment", "government.subsidy"):  # fmt: skip
        assert "review" in effects[action], action
    assert {"review", "privilege"} <= effects["government.permit"]
    assert "privilege" in effects["utilities.deposit"]
    assert effects["utilities.bill"] == {"discount"}
    cited = " ".join(i.definition.basis_text for i in policy.measures.values())
    assert "Fagai Caijin [2016] No. 141" in cited
    assert "National Basic List of Disciplinary Measures" in cited


def test_rongcheng_rewards_only(policy: PolicySet) -> None:
    for info in policy.measures.values():
        if info.pack == "rongcheng":
            assert info.definition.effect in ("privilege", "discount"), info.name
            assert info.jurisdiction == "371082"
