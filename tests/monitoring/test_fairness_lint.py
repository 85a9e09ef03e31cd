"""No list or measure may follow from a fairness output: a hostile pack that lists
persons on the disparity of their group, or on a ``fairness.*`` record, is refused
whole, list and measure alike (the outputs are registered beside the supervision
analytics' in policy/supervision_outputs.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from socialcredit.errors import PolicyError
from socialcredit.ledger.policy_store import activate
from socialcredit.policy.lint import lint_packs
from socialcredit.policy.pack import PACKS_DIR, default_packs, load_pack
from socialcredit.policy.supervision_outputs import output_of_attribute, output_of_category
from socialcredit.store.database import Store

LIST = {
    "title": "Debtors of an over-represented group",
    "kind": "black",
    "domain": "judicial",
    "authority": "People's courts",
    "subjects": ["person"],
    "legal_basis": ["judges_law art. 41"],
    "notice_days": 30,
    "term": {"days": 365},
}
MEASURE = {
    "title": "No flights for a flagged group",
    "actions": ["transport.air.ticket"],
    "effect": "deny",
    "lists": ["flagged_group"],
    "agencies": ["civil aviation"],
    "basic_list_item": "high_consumption_restrictions",
    "legal_basis": ["spc_high_consumption_2015 art. 3"],
}


def _hostile(tmp_path: Path, entry: dict[str, object]) -> Path:
    folder = tmp_path / "national"
    shutil.copytree(PACKS_DIR / "national", folder)
    lists = yaml.safe_load((folder / "lists.yaml").read_text("utf-8"))
    lists["lists"]["flagged_group"] = {**LIST, "entry": entry}
    (folder / "lists.yaml").write_text(yaml.safe_dump(lists, allow_unicode=True), "utf-8")
    measures = yaml.safe_load((folder / "measures.yaml").read_text("utf-8"))
    measures["measures"]["flagged_group_flights"] = MEASURE
    (folder / "measures.yaml").write_text(yaml.safe_dump(measures, allow_unicode=True), "utf-8")
    return folder


def _lint(folder: Path) -> list[str]:
    packs = [load_pack(folder), *(p for p in default_packs() if p.name != "national")]
    return [p for p in lint_packs(packs) if "fairness" in p]


@pytest.mark.parametrize(
    ("entry", "field"),
    [
        ({"categories": ["judicial.judgment_default"],
          "when": {"attr": "disparity_ratio", "lt": 0.8}}, "entry.when"),
        ({"categories": ["fairness.group_disparity"]}, "entry.categories"),
    ],
)  # fmt: skip
def test_a_list_on_a_fairness_output_and_its_measure_are_refused(
    tmp_path: Path, entry: dict[str, object], field: str
) -> None:
    problems = _lint(_hostile(tmp_path, entry))
    assert any(p.startswith(f"national: lists.yaml: flagged_group: {field}:") for p in problems), (
        problems
    )
    assert any(
        p.startswith("national: measures.yaml: flagged_group_flights: lists:") for p in problems
    ), problems


def test_activating_it_is_refused(sqlite_store: Store, tmp_path: Path) -> None:
    folder = _hostile(
        tmp_path,
        {"categories": ["judicial.judgment_default"], "when": {"attr": "disparity", "gt": 1}},
    )
    with pytest.raises(PolicyError) as refused:
        activate(sqlite_store, [load_pack(folder)], note="hostile")
    assert any("fairness.disparity of the fairness analytic" in p for p in refused.value.problems)


def test_the_fairness_outputs_are_registered() -> None:
    output = output_of_attribute("disparity_ratio")
    assert output is not None and output.analytic == "fairness"
    assert output_of_category("fairness.group_disparity") is output
    assert output.scored_when is None  # never scored, never listed
