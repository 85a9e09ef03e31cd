"""Pack loading: the shipped packs load; every problem names file, entry and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from socialcredit.errors import PolicyError
from socialcredit.policy.pack import default_packs, load_pack, merge_catalogue


def test_default_packs_load_and_cover_the_required_categories() -> None:
    catalogue = merge_catalogue(default_packs())
    required = {
        "judicial.judgment_default",
        "judicial.judgment_fulfilled",
        "judicial.sham_litigation",
        "judicial.contempt",
        "tax.arrears",
        "tax.evasion",
        "tax.credit_grade",
        "market.administrative_penalty",
        "market.product_safety_violation",
        "market.food_safety_violation",
        "market.drug_safety_violation",
        "market.abnormal_operation",
        "market.serious_illegal_dishonesty",
        "finance.loan_default",
        "finance.p2p_default",
        "transport.traffic_violation",
        "transport.fare_evasion",
        "transport.train_misconduct",
        "civic.blood_donation",
        "civic.volunteer_hours",
        "civic.heroic_act",
        "government.decision_overturned",
        "government.directive_late",
        "government.procurement_award",
        "judicial.case_decision",
        "registry.person",
        "registry.enterprise",
        "registry.institution",
        "registry.office",
        "registry.legal_representative",
        "registry.controller",
    }
    assert required <= set(catalogue.names())
    for name in catalogue.names():
        cat = catalogue[name]
        assert cat.legal_basis, f"{name} cites no legal basis"
        if cat.kind == "conduct":
            assert cat.domain is not None, f"{name} has no domain"


def _pack(tmp_path: Path, categories: str, meta: str | None = None) -> Path:
    (tmp_path / "pack.yaml").write_text(
        meta or "name: t\nversion: '1'\ntitle: T\njurisdiction: national\n", encoding="utf-8"
    )
    (tmp_path / "categories.yaml").write_text(categories, encoding="utf-8")
    return tmp_path


def test_errors_name_file_entry_and_field(tmp_path: Path) -> None:
    path = _pack(
        tmp_path,
        """
categories:
  tax.bad:
    title: Bad
    domain: taxes
    subjects: [person]
    attributes:
      amount: {type: money}
""",
        meta="name: t\nversion: '1'\ntitle: T\njurisdiction: '12'\n",
    )
    with pytest.raises(PolicyError) as info:
        load_pack(path)
    problems = info.value.problems
    assert any(p.startswith("pack.yaml: pack: jurisdiction:") for p in problems)
    assert any(p.startswith("categories.yaml: tax.bad: domain:") for p in problems)
    assert any(p.startswith("categories.yaml: tax.bad: attributes.amount.type:") for p in problems)


def test_broken_yaml_and_missing_pack(tmp_path: Path) -> None:
    path = _pack(tmp_path, "categories: [unclosed")
    with pytest.raises(PolicyError) as info:
        load_pack(path)
    assert "categories.yaml: not valid YAML" in info.value.problems[0]
    with pytest.raises(PolicyError):
        load_pack(tmp_path / "nowhere")


def test_two_packs_defining_one_category_differently_are_refused(tmp_path: Path) -> None:
    a = _pack(
        tmp_path / "a" if (tmp_path / "a").mkdir() is None else tmp_path,
        """
categories:
  tax.arrears:
    title: Different
    domain: commercial
    subjects: [person]
""",
    )
    with pytest.raises(PolicyError, match="disagree"):
        merge_catalogue([*default_packs(), load_pack(a)])
