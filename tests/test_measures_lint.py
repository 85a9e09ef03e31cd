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

CATEGORIES = """
categories:
  test.default:
    title: Default
    domain: judicial
    severity: serious
    subjects: [person, enterprise]
    case_key: case_no
    legal_basis: Law art. 1
    attributes:
      case_no: {type: string, required: true}
      ground: {type: enum, values: [a, b]}
      aggravated: {type: boolean}
      partner: {type: identifier, kinds: [person]}
      religion: {type: string}
  test.paid:
    title: Paid
    domain: judicial
    subjects: [person, enterprise]
    case_key: case_no
    legal_basis: Law art. 2
    attributes:
      case_no: {type: string, required: true}
  test.keyless:
    title: Without case key
    domain: judicial
    subjects: [person, enterprise]
    legal_basis: Law art. 3
  test.personal:
    title: About persons only
    domain: social
    severity: minor
    subjects: [person]
    legal_basis: Law art. 4
  registry.firm:
    title: Firm
    kind: registry
    subjects: [enterprise]
    legal_basis: Registration rules
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
  rating:
    title: Rating
    subjects: [person, enterprise]
    base: 100
    bands: [{grade: A, min: 90}, {grade: D}]
"""
BLACK: dict[str, Any] = {
    "title": "Defaulters",
    "kind": "black",
    "domain": "judicial",
    "authority": "Courts",
    "subjects": ["person", "enterprise"],
    "legal_basis": "Law art. 1",
    "notice_days": 10,
    "entry": {"categories": ["test.default"], "when": {"attr": "ground", "eq": "a"}},
    "term": {"days": 730, "extensions": [{"when": {"attr": "aggravated", "eq": True},
                                          "extra_days": 365}]},
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
    "legal_basis": "City rule",
    "entry": {"grade": {"scheme": "pts", "grades": ["A"]}},
}
DENY: dict[str, Any] = {
    "title": "No flights",
    "actions": ["transport.air.ticket"],
    "effect": "deny",
    "lists": ["black1"],
    "agencies": ["Airlines"],
    "targets": ["subject", "legal_representative"],
    "legal_basis": "Provisions art. 3",
    "domains": ["judicial"],
}
REWARD: dict[str, Any] = {
    "title": "Discount",
    "actions": ["utilities.bill"],
    "effect": "discount",
    "condition": "10% off",
    "lists": ["red1"],
    "agencies": ["Utility"],
    "legal_basis": "City rule",
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
    (folder / "categories.yaml").write_text(CATEGORIES, encoding="utf-8")
    (folder / "scoring.yaml").write_text(SCORING, encoding="utf-8")
    lists = {"black1": BLACK, "red1": RED} if lists is None else lists
    measures = {"m1": DENY, "m2": REWARD} if measures is None else measures
    for file, key, value in (
        ("lists.yaml", "lists", lists),
        ("measures.yaml", "measures", measures),
    ):
        (folder / file).write_text(yaml.safe_dump({key: value}), encoding="utf-8")
    return load_pack(folder)


def lint(root: Path, lists: dict[str, Any] | None = None, **measures: Any) -> list[str]:
    ms = {"m1": DENY, "m2": REWARD, **measures} if measures else None
    full = None if lists is None else {"black1": BLACK, "red1": RED, **lists}
    return lint_lists([make_pack(root, full, ms)])


def test_a_small_valid_pack_lints_clean(tmp_path: Path) -> None:
    pack = make_pack(tmp_path)
    assert lint_lists([pack]) == []
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
    ok = changed(BLACK, notice_days=0, zero_notice_basis="the order is served: art. 5")
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
    assert [p for p in problems if expected in p] == problems
    assert problems and problems[0].startswith("t: lists.yaml: black1: ")


@pytest.mark.parametrize("extra", [30, 364, 1096, 2000])
def test_extensions_are_one_to_three_years(tmp_path: Path, extra: int) -> None:
    ext = [{"when": {"attr": "aggravated", "eq": True}, "extra_days": extra}]
    problems = lint(tmp_path, {"black1": changed(BLACK, term={"days": 730, "extensions": ext})})
    assert problems == [
        f"t: lists.yaml: black1: term.extensions[0].extra_days: {extra} is outside 365..1095 "
        "(SPC Fa Shi [2013] No. 17 (amended 2017) art. 2: extendable by 1 to 3 years)"
    ]


def test_a_black_list_never_follows_a_points_scheme(tmp_path: Path) -> None:
    black = changed(BLACK, entry={"grade": {"scheme": "pts", "grades": ["B"]}}, term=None,
                    removal=None, overrides=None, subjects=["person"])  # fmt: skip
    problems = lint(tmp_path, {"black1": black}, m1=changed(DENY, targets=["subject"]))
    assert len(problems) == 1
    assert problems[0].startswith(
        "t: lists.yaml: black1: entry.grade.scheme: a black list may not follow the grade of "
        "points scheme 'pts': a points scheme may only reward"
    )
    on_rating = changed(black, entry={"grade": {"scheme": "rating", "grades": ["D"]}})
    assert lint(tmp_path / "b", {"black1": on_rating}, m1=changed(DENY, targets=["subject"])) == []


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
    assert problems and all(p.startswith("t: lists.yaml: black1: ") for p in problems)
    assert any(expected in p for p in problems), problems


def test_a_list_and_its_categories_share_a_kind_of_subject(tmp_path: Path) -> None:
    black = changed(BLACK, subjects=["enterprise"], entry={"categories": ["test.personal"]},
                    term={"days": 730}, removal=None, overrides=None)  # fmt: skip
    assert lint(tmp_path, {"black1": black}) == [
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
    problems = lint(tmp_path, m1=changed(DENY, legal_basis=" "))
    assert "t: measures.yaml: m1: targets: ['legal_representative'] need a legal basis" in (
        " ".join(problems)
    )
    persons_only = {"black1": changed(BLACK, subjects=["person"])}
    problems = lint(tmp_path / "b", persons_only, m1=changed(DENY, targets=["controller"]))
    assert problems == [
        "t: measures.yaml: m1: targets: ['controller'] reach persons holding a role in a listed "
        "organisation, but none of the measure's lists lists organisations"
    ]


def test_a_measure_names_its_agencies(tmp_path: Path) -> None:
    assert lint(tmp_path, m1=changed(DENY, agencies=[])) == [
        "t: measures.yaml: m1: agencies: name the agencies that enforce the measure"
    ]


def test_punishments_follow_black_lists_and_rewards_red_lists(tmp_path: Path) -> None:
    deny = changed(DENY, lists=["red1"], domains=["social"], targets=["subject"])
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


def test_proportionality_domains_or_a_link_with_its_basis(tmp_path: Path) -> None:
    problems = lint(tmp_path, m1=changed(DENY, domains=["commercial"]))
    assert problems == [
        "t: measures.yaml: m1: domains: list 'black1' is in the judicial domain, not in "
        "['commercial']: link it with its basis (`links`) or drop it (proportionality)"
    ]
    links = [{"list": "black1", "basis": "Provisions art. 3 names this list"}]
    assert lint(tmp_path / "b", m1=changed(DENY, domains=["commercial"], links=links)) == []
    links = [{"list": "red1", "basis": "x"}]
    assert lint(tmp_path / "c", m1=changed(DENY, links=links)) == [
        "t: measures.yaml: m1: links: 'red1' is not one of the measure's lists"
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
    assert lint(tmp_path, m1=changed(DENY, actions=["transport.air.ticket", code])) == [
        f"t: measures.yaml: m1: actions: '{code}' is not an action code 'area.thing[.more]' "
        "in snake case"
    ]


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
    problems = lint_lists([first, second])
    assert problems == [
        "u: lists.yaml: black1: name: also in pack t",
        "u: measures.yaml: m1: name: also in pack t",
    ]


def test_the_safeguards_lint_includes_the_lists_lint(tmp_path: Path) -> None:
    pack = make_pack(tmp_path, {"black1": changed(BLACK, legal_basis=None)}, {})
    assert "t: lists.yaml: black1: legal_basis: a list needs a legal basis" in lint_packs([pack])


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
        assert f"art. 3 para. 1({item})" in m.legal_basis and "Fa Shi [2015] No. 17" in (
            m.legal_basis
        )
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
    cited = " ".join(i.definition.legal_basis for i in policy.measures.values())
    assert "Fagai Caijin [2016] No. 141" in cited
    assert "National Basic List of Disciplinary Measures" in cited


def test_rongcheng_rewards_only(policy: PolicySet) -> None:
    for info in policy.measures.values():
        if info.pack == "rongcheng":
            assert info.definition.effect in ("privilege", "discount"), info.name
            assert info.jurisdiction == "371082"
