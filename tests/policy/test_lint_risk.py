"""No list or measure may follow from the risk score: a pack that lists subjects on their
predicted risk, by a risk category or by an attribute carrying the score, is refused."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from socialcredit.policy.lint import lint_packs
from socialcredit.policy.pack import PACKS_DIR, default_packs, load_pack
from socialcredit.policy.supervision_outputs import output_of_attribute, output_of_category

LIST = {
    "title": "Predicted defaulters",
    "kind": "black",
    "domain": "commercial",
    "authority": "Credit bureau",
    "subjects": ["person", "enterprise"],
    "legal_basis": ["credit_reporting_regulation art. 16"],
    "notice_days": 30,
    "entry": {"categories": ["finance.loan_default"], "when": {"attr": "risk_score", "lt": 560}},
    "term": {"days": 365},
}
MEASURE = {
    "title": "No loans for predicted defaulters",
    "actions": ["finance.loan"],
    "effect": "deny",
    "lists": ["predicted_defaulters"],
    "agencies": ["banks"],
    "basic_list_item": "financing_restrictions",
    "legal_basis": ["credit_reporting_regulation art. 16"],
}


def _lint(tmp_path: Path, entry: dict[str, object] | None = None) -> list[str]:
    folder = tmp_path / "national"
    shutil.copytree(PACKS_DIR / "national", folder)
    lists = yaml.safe_load((folder / "lists.yaml").read_text("utf-8"))
    lists["lists"]["predicted_defaulters"] = {**LIST, **({"entry": entry} if entry else {})}
    (folder / "lists.yaml").write_text(yaml.safe_dump(lists, allow_unicode=True), "utf-8")
    measures = yaml.safe_load((folder / "measures.yaml").read_text("utf-8"))
    measures["measures"]["predicted_defaulters_loans"] = MEASURE
    (folder / "measures.yaml").write_text(yaml.safe_dump(measures, allow_unicode=True), "utf-8")
    packs = [load_pack(folder), *(p for p in default_packs() if p.name != "national")]
    return [p for p in lint_packs(packs) if "supervision output" in p]


def test_a_list_on_the_risk_score_and_its_measure_are_refused(tmp_path: Path) -> None:
    problems = _lint(tmp_path)
    assert any(p.startswith("national: lists.yaml: predicted_defaulters: entry.when: "
                            "'risk_score' carries") for p in problems), problems  # fmt: skip
    assert any(p.startswith("national: measures.yaml: predicted_defaulters_loans: lists:")
               for p in problems), problems  # fmt: skip


def test_a_list_on_a_recorded_risk_band_is_refused(tmp_path: Path) -> None:
    problems = _lint(tmp_path, {"categories": ["risk.band"]})
    assert any("predicted_defaulters: entry.categories: 'risk.band' records" in p
               for p in problems), problems  # fmt: skip


def test_the_risk_outputs_are_registered() -> None:
    for attr in ("risk_score", "risk_band", "risk_reasons", "risk_model"):
        assert output_of_attribute(attr) is not None
    assert output_of_category("risk.score") is not None
