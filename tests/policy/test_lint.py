"""The safeguards lint: one test per check, on small packs written to tmp_path."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from socialcredit.errors import PolicyError
from socialcredit.policy.lint import lint_packs, points_schemes, protected_ground
from socialcredit.policy.pack import Pack, default_packs, load_pack

from support.law import test_law, with_items

CATEGORIES = """
categories:
  tax.late:
    title: Late tax
    domain: commercial
    severity: general
    subjects: [person, enterprise]
    case_key: notice_no
    legal_basis: tax_collection_law art. 32
    attributes:
      notice_no: {type: string, required: true}
      amount: {type: number, required: true, min: 0}
      months: {type: integer}
      kind: {type: enum, values: [vat, other]}
      paid: {type: boolean}
      due: {type: date}
      partner: {type: identifier, kinds: [person]}
  tax.paid:
    title: Paid
    domain: commercial
    subjects: [person, enterprise]
    case_key: notice_no
    legal_basis: tax_collection_law art. 32
    attributes:
      notice_no: {type: string, required: true}
  firm.fined:
    title: Firm fined
    domain: commercial
    severity: general
    sector: food
    subjects: [enterprise]
    legal_basis: food_safety_law art. 122
  registry.firm:
    title: Firm
    kind: registry
    subjects: [enterprise]
    legal_basis: market_entity_registration_regulation art. 8
  registry.legal_representative:
    title: Legal representative
    kind: registry
    subjects: [enterprise]
    legal_basis: civil_code art. 61
    attributes:
      person: {type: identifier, required: true, kinds: [person]}
"""
SCHEMES = """
schemes:
  s:
    title: S
    subjects: [person, enterprise]
    base: 100
    legal_basis: guofa_2014_21
    bands: [{grade: A, min: 90}, {grade: B}]
"""


def make_pack(
    root: Path,
    rules: str = "rules: []",
    *,
    name: str = "t",
    categories: str = CATEGORIES,
    schemes: str = SCHEMES,
    periods: str = "",
    scope: str = "[person, enterprise, institution]",
) -> Pack:
    folder = root / name
    folder.mkdir()
    meta = f"name: {name}\nversion: '1'\ntitle: T\njurisdiction: national\nscope: {scope}\n"
    (folder / "pack.yaml").write_text(meta, encoding="utf-8")
    (folder / "categories.yaml").write_text(with_items(categories), encoding="utf-8")
    scoring = "\n".join(textwrap.dedent(part) for part in (periods, schemes, rules))
    (folder / "scoring.yaml").write_text(scoring, encoding="utf-8")
    return load_pack(folder)


def rule(body: str, rid: str = "r1") -> str:
    """One rule on scheme `s`, category `tax.late` unless the body says otherwise."""
    fields = {"id": rid, "scheme": "s", "category": "tax.late", "points": "-10"}
    lines = textwrap.dedent(body).strip().splitlines()
    given = {line.split(":", 1)[0] for line in lines if line and not line.startswith(" ")}
    base = [f"{k}: {v}" for k, v in fields.items() if k not in given]
    return "rules:\n  - " + "\n    ".join([*base, *lines])


def lint_all(packs: list[Pack]) -> list[str]:
    """The lint, against allow-lists made from the test packs' own categories."""
    return lint_packs(packs, test_law(packs))


def lint(root: Path, rules: str = "rules: []", **kw: str) -> list[str]:
    return lint_all([make_pack(root, rules, **kw)])


def test_default_packs_lint_clean() -> None:
    assert lint_packs(default_packs()) == []


def test_a_small_valid_pack_lints_clean(tmp_path: Path) -> None:
    body = """
        when: {all: [{attr: amount, gte: 100}, {attr: kind, in: [vat]}, {attr: paid, eq: false},
                     {attr: due, lt: '2026-01-01'}, {not: {attr: months, gt: 3}}]}
        per: amount
        ended_by: [tax.paid]
        grade_cap: B
        repeat: {multiplier: 2}
    """
    assert lint(tmp_path, rule(body)) == []


# 1 ---------------------------------------------------- protected grounds


@pytest.mark.parametrize(
    ("name", "tags", "protected"),
    [
        ("social.religious_activity", (), True),
        ("person.ethnicity", (), True),
        ("spouse_id", (), True),
        ("social_connections", (), True),
        ("petition.filed", (), True),
        ("blood_type", (), True),
        ("condition", ("protected:health",), True),
        ("condition", ("protected",), True),
        ("condition", ("family",), True),
        ("civic.blood_donation", (), False),
        ("blood_alcohol_mg", (), False),
        ("market.drug_safety_violation", (), False),
        ("counterparty", (), False),
        ("sector", (), False),
        ("registry.legal_representative", (), False),
        ("childcare_fee", (), False),
    ],
)
def test_protected_terms_match_whole_tokens_and_tags(
    name: str, tags: tuple[str, ...], protected: bool
) -> None:
    assert (protected_ground(name, tags) is not None) is protected


def test_protected_categories_and_attributes_are_refused(tmp_path: Path) -> None:
    categories = """
categories:
  social.religious_activity:
    title: Attends services
    domain: social
    subjects: [person]
    legal_basis: civil_code art. 577
  tax.late:
    title: Late tax
    domain: commercial
    subjects: [person]
    legal_basis: civil_code art. 577
    tags: [protected:health]
  civic.deed:
    title: Deed
    domain: social
    subjects: [person]
    legal_basis: civil_code art. 577
    attributes:
      spouse_id: {type: string}
      condition: {type: string, tags: [protected:health]}
      ethnicity: {type: string}
"""
    problems = lint(tmp_path, categories=categories, schemes="schemes: {}")
    assert (
        "t: categories.yaml: social.religious_activity: name: concerns a protected ground"
        in (problems[0])
    )
    assert any(p.startswith("t: categories.yaml: tax.late: name: concerns") for p in problems)
    for attr in ("spouse_id", "condition", "ethnicity"):
        assert any(f"civic.deed: attributes.{attr}: concerns a protected" in p for p in problems)


def test_a_rule_reading_a_protected_category_or_attribute_is_refused(tmp_path: Path) -> None:
    categories = """
categories:
  civic.deed:
    title: Deed
    domain: social
    subjects: [person]
    legal_basis: civil_code art. 577
    attributes:
      ethnicity: {type: string}
      condition: {type: number, required: true, tags: [protected:health]}
  social.religious_activity:
    title: Attends services
    domain: social
    subjects: [person]
    legal_basis: civil_code art. 577
"""
    rules = """
rules:
  - {id: a, scheme: s, category: civic.deed, points: 5, when: {attr: ethnicity, eq: x}}
  - {id: b, scheme: s, category: civic.deed, points: 5, per: condition}
  - {id: c, scheme: s, category: social.religious_activity, points: 5}
  - {id: d, scheme: s, category: civic.deed, points: 5, when: {not: {attr: relatives, eq: 1}}}
"""
    problems = lint(tmp_path, rules, categories=categories)
    rule_problems = [p for p in problems if "scoring.yaml" in p]
    assert (
        "t: scoring.yaml: rules[0] (a): when.attr: reads protected attribute 'ethnicity'"
        in (rule_problems[0])
    )
    assert any("rules[1] (b): per: reads protected attribute 'condition'" in p for p in problems)
    assert any("rules[2] (c): category: reads protected category" in p for p in problems)
    assert any("rules[3] (d): when.not.attr: reads protected attribute" in p for p in problems)


def test_load_pack_does_not_run_the_lint(tmp_path: Path) -> None:
    pack = make_pack(tmp_path, rule("when: {attr: ethnicity, eq: x}"))
    assert pack.scoring.rules[0].id == "r1"
    assert lint_all([pack])


# 2 ------------------------------------------------ others' records, roles


def test_rules_may_not_condition_on_who_another_subject_is(tmp_path: Path) -> None:
    problems = lint(tmp_path, rule("when: {attr: partner, eq: '11010519491231002X'}"))
    assert problems == [
        "t: scoring.yaml: rules[0] (r1): when.attr: reads identifier attribute 'partner': "
        "a rule may not condition on who another subject is"
    ]


def test_per_must_be_a_required_number(tmp_path: Path) -> None:
    rules = """
rules:
  - {id: a, scheme: s, category: tax.late, points: -1, per: notice_no}
  - {id: b, scheme: s, category: tax.late, points: -1, per: months}
  - {id: c, scheme: s, category: tax.late, points: -1, per: nothing}
"""
    problems = lint(tmp_path, rules)
    assert problems == [
        "t: scoring.yaml: rules[0] (a): per: 'notice_no' is a conduct attribute: rules read "
        "only amount attributes of the subject's own records",
        "t: scoring.yaml: rules[0] (a): per: 'notice_no' is a string attribute, not a number",
        "t: scoring.yaml: rules[1] (b): per: 'months' is not a required attribute of 'tax.late'",
        "t: scoring.yaml: rules[2] (c): per: category 'tax.late' declares no attribute 'nothing'",
    ]


def test_via_needs_an_organisation_category_and_a_person_scheme(tmp_path: Path) -> None:
    schemes = (
        SCHEMES
        + """
  firms:
    title: Firms
    subjects: [enterprise]
    base: 100
    legal_basis: guofa_2014_21
    bands: [{grade: A}]
"""
    )
    rules = """
rules:
  - {id: ok, scheme: s, category: firm.fined, points: -5, via: legal_representative}
  - {id: a, scheme: firms, category: firm.fined, points: -5, via: legal_representative}
  - {id: b, scheme: s, category: tax.late, points: -5, via: controller}
"""
    problems = lint(tmp_path, rules, schemes=schemes)
    assert not any("(ok)" in p for p in problems)
    assert any("rules[1] (a): via: a role scores a person" in p for p in problems)
    assert any("rules[2] (b): via: no category 'registry.controller'" in p for p in problems)


PERSON_ONLY = """
categories:
  tax.late:
    title: Late tax
    domain: commercial
    severity: general
    subjects: [person]
%s"""


def test_via_is_refused_on_a_category_about_persons_only(tmp_path: Path) -> None:
    categories = PERSON_ONLY % "    legal_basis: tax_collection_law art. 32\n"
    problems = lint(tmp_path, rule("via: legal_representative"), categories=categories)
    assert problems == [
        "t: scoring.yaml: rules[0] (r1): via: category 'tax.late' is not about organisations "
        "(enterprise/institution)",
        "t: scoring.yaml: rules[0] (r1): via: no category 'registry.legal_representative' "
        "records who holds the role",
    ]


# 3 ---------------------------------------------------------- conduct only


def test_rules_on_registry_or_supervision_categories_are_refused(tmp_path: Path) -> None:
    problems = lint(tmp_path, rule("category: registry.firm\npoints: 5"))
    assert any(
        "rules[0] (r1): category: 'registry.firm' is a registry category: only conduct" in p
        for p in problems
    )


# 4 ------------------------------------------------------------ references


def test_referential_problems_name_the_field(tmp_path: Path) -> None:
    rules = """
rules:
  - {id: a, scheme: nope, category: tax.late, points: -1}
  - {id: b, scheme: s, category: tax.nope, points: -1}
  - {id: c, scheme: s, category: tax.late, points: -1, ended_by: [tax.gone], grade_cap: Z}
  - {id: d, scheme: s, category: tax.late, points: -1, when: {attr: colour, eq: red}}
"""
    problems = lint(tmp_path, rules)
    assert "rules[0] (a): scheme: no scheme 'nope' in pack t" in problems[0]
    assert "rules[1] (b): category: no category 'tax.nope' in the active packs" in problems[1]
    assert any("rules[2] (c): grade_cap: 'Z' is not a grade of 's'" in p for p in problems)
    assert any("rules[2] (c): ended_by: no category 'tax.gone'" in p for p in problems)
    assert any("rules[3] (d): when.attr: category 'tax.late' declares no" in p for p in problems)


@pytest.mark.parametrize(
    ("when", "message"),
    [
        ("{attr: amount, eq: lots}", "when.eq: 'lots' is not a number"),
        ("{attr: months, eq: true}", "when.eq: True is not a number"),
        ("{attr: kind, in: [vat, gst]}", "when.in: 'gst' is not one of the enum's values"),
        ("{attr: paid, eq: 1}", "when.eq: 1 is not a boolean"),
        ("{attr: due, eq: soon}", "when.eq: 'soon' is not an ISO date"),
        ("{attr: notice_no, eq: 5}", "when.eq: 5 is not a string"),
        ("{attr: kind, gt: vat}", "when.gt: only integer, number or date attributes"),
        ("{any: [{attr: paid, lt: 1}]}", "when.any[0].lt: only integer, number or date"),
    ],
)
def test_comparison_values_must_fit_the_attribute(tmp_path: Path, when: str, message: str) -> None:
    problems = lint(tmp_path, rule(f"when: {when}"))
    assert len(problems) == 1 and message in problems[0], problems


def test_domain_subjects_scope_and_ended_by_case_keys(tmp_path: Path) -> None:
    categories = (
        CATEGORIES
        + """
  misc.thing:
    title: No domain
    subjects: [institution]
    legal_basis: civil_code art. 577
"""
    )
    schemes = (
        SCHEMES
        + """
  wide:
    title: Wide
    subjects: [person, institution]
    base: 0
    legal_basis: guofa_2014_21
    bands: [{grade: A}]
"""
    )
    rules = """
rules:
  - {id: a, scheme: s, category: misc.thing, points: 1}
  - {id: b, scheme: s, category: tax.late, points: -1, ended_by: [firm.fined]}
"""
    problems = lint(tmp_path, rules, categories=categories, schemes=schemes, scope="[person]")
    assert any(
        "schemes.s: subjects: ['enterprise'] outside the pack's scope" in p for p in problems
    )
    assert any("schemes.wide: subjects: ['institution'] outside" in p for p in problems)
    assert any("rules[0] (a): domain: neither the rule nor category" in p for p in problems)
    assert any(
        "rules[0] (a): category: 'misc.thing' is about ['institution'], scheme 's'" in p
        for p in problems
    )
    assert any(
        "rules[1] (b): ended_by: 'tax.late' and 'firm.fined' must both" in p for p in problems
    )


def test_rules_may_read_categories_of_another_active_pack(tmp_path: Path) -> None:
    base = make_pack(tmp_path, name="base", schemes="schemes: {}")
    other = make_pack(tmp_path, rule("id: o1"), name="other", categories="categories: {}")
    assert lint_all([base, other]) == []
    assert any("no category 'tax.late'" in p for p in lint_all([other]))


def test_disagreeing_catalogues_are_reported_not_raised(tmp_path: Path) -> None:
    a = make_pack(tmp_path, name="a", schemes="schemes: {}")
    changed = CATEGORIES.replace("title: Late tax", "title: Tax paid late")
    b = make_pack(tmp_path, name="b", categories=changed, schemes="schemes: {}")
    problems = lint_all([a, b])
    assert problems == ["b: categories.yaml: tax.late: declared differently by another active pack"]


# 5 --------------------------------------------------------- effect periods


def test_effect_days_within_severity_limits(tmp_path: Path) -> None:
    problems = lint(tmp_path, rule("effect_days: 400"))
    assert problems == [
        "t: scoring.yaml: rules[0] (r1): effect_days: 400 is outside 90..365 for a general category"
    ]


def test_effect_days_not_below_a_sector_minimum(tmp_path: Path) -> None:
    rules = "rules:\n  - {id: f, scheme: s, category: firm.fined, points: -5, effect_days: 200}"
    problems = lint(tmp_path, rules)
    assert problems == [
        "t: scoring.yaml: rules[0] (f): effect_days: 200 is below the food sector minimum "
        "of 365 days (NDRC Order No. 58 art. 7)"
    ]


def test_a_default_period_below_the_sector_floor_is_refused(tmp_path: Path) -> None:
    periods = "effect_periods: {general: 180}"
    rules = "rules:\n  - {id: f, scheme: s, category: firm.fined, points: -5}"
    problems = lint(tmp_path, rules, periods=periods)
    assert len(problems) == 1 and "the pack's default of 180 days is below" in problems[0]
    periods = "effect_periods: {general: 180, sector_minimum: {food: 400}}"
    (tmp_path / "t2").mkdir()
    assert lint(tmp_path / "t2", rules, periods=periods) == []


def test_sector_minimum_values_are_bounded(tmp_path: Path) -> None:
    periods = "effect_periods: {sector_minimum: {food: 200, drugs: 1200, mining: 2000}}"
    problems = lint(tmp_path, periods=periods)
    assert problems == [
        "t: scoring.yaml: effect_periods: sector_minimum.food: 200 days is outside 365..1095",
        "t: scoring.yaml: effect_periods: sector_minimum.drugs: 1200 days is outside 365..1095",
        "t: scoring.yaml: effect_periods: sector_minimum.mining: 2000 days is outside 0..1095",
    ]


# 6 ---------------------------------------------------------------- legality


def test_a_deduction_needs_a_legal_basis(tmp_path: Path) -> None:
    rules = """
rules:
  - {id: minus, scheme: s, category: tax.late, points: -5}
  - {id: cited, scheme: s, category: tax.late, points: -5, legal_basis: tax_collection_law art. 32}
  - {id: plus, scheme: s, category: tax.late, points: 5}
"""
    problems = lint(tmp_path, rules, categories=PERSON_ONLY % "")
    assert problems == [
        "t: scoring.yaml: rules[0] (minus): legal_basis: a rule that deducts points or caps "
        "a grade needs a legal basis"
    ]


# 7 ----------------------------------------------------- points schemes


def test_points_schemes_may_not_cap_grades_and_need_consent(tmp_path: Path) -> None:
    schemes = SCHEMES.replace("title: S", "title: S\n    kind: points")
    pack = make_pack(tmp_path, rule("grade_cap: B"), schemes=schemes)
    assert points_schemes([pack]) == {"s"}
    problems = lint_all([pack])
    assert "schemes.s: consent: a points scheme scores only residents who consent" in problems[0]
    assert "rules[0] (r1): grade_cap: a points scheme may only reward" in problems[1]
    assert len(problems) == 2
    assert points_schemes(default_packs()) == {"rongcheng"}


# 8 ------------------------------------------------------------------- ids


def test_rule_ids_and_scheme_names_are_unique_across_packs(tmp_path: Path) -> None:
    a = make_pack(tmp_path, rule(""), name="a")
    b = make_pack(tmp_path, rule(""), name="b")
    problems = lint_all([a, b])
    assert problems == [
        "b: scoring.yaml: schemes.s: name: also in pack a",
        "b: scoring.yaml: rules[0] (r1): id: also used by a rules[0] (r1)",
    ]


# loading scoring.yaml --------------------------------------------------------


def test_scoring_load_errors_name_file_entry_and_field(tmp_path: Path) -> None:
    schemes = "schemes:\n  s: {title: S, subjects: [person], base: 0, bands: [{grade: A, min: 1}]}"
    with pytest.raises(PolicyError) as info:
        make_pack(tmp_path, rule("via: cousin") + "\n  - {id: z, points: 0}", schemes=schemes)
    problems = info.value.problems
    assert problems[0].startswith("scoring.yaml: schemes.s: bands: Value error, the last band")
    assert problems[1].startswith("scoring.yaml: rules[0] (r1): via: Input should be")
    assert any(p.startswith("scoring.yaml: rules[1] (z): scheme: Field required") for p in problems)
