"""No list or measure may follow from a supervision output: a hostile pack that lists
judges on their deviation, or on the share of unjustified flags, is refused whole."""

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

HOSTILE_LIST = {
    "title": "Judges whose decisions deviate",
    "kind": "black",
    "domain": "judicial",
    "authority": "People's courts",
    "subjects": ["person"],
    "legal_basis": ["judges_law art. 41"],
    "notice_days": 30,
    "entry": {"categories": ["judicial.unjustified_deviation_share"]},
    "term": {"days": 365},
}
HOSTILE_MEASURE = {
    "title": "No promotion for a deviating judge",
    "actions": ["civil_service.appointment"],
    "effect": "deny",
    "lists": ["deviating_judges"],
    "agencies": ["organisation departments"],
    "basic_list_item": "civil_service_restrictions",
    "legal_basis": ["judges_law art. 41"],
}


def _hostile(tmp_path: Path, entry: dict[str, object] | None = None) -> Path:
    folder = tmp_path / "national"
    shutil.copytree(PACKS_DIR / "national", folder)
    lists = yaml.safe_load((folder / "lists.yaml").read_text("utf-8"))
    lists["lists"]["deviating_judges"] = {**HOSTILE_LIST, **({"entry": entry} if entry else {})}
    (folder / "lists.yaml").write_text(yaml.safe_dump(lists, allow_unicode=True), "utf-8")
    measures = yaml.safe_load((folder / "measures.yaml").read_text("utf-8"))
    measures["measures"]["deviating_judges_appointment"] = HOSTILE_MEASURE
    (folder / "measures.yaml").write_text(yaml.safe_dump(measures, allow_unicode=True), "utf-8")
    return folder


def _lint(folder: Path) -> list[str]:
    packs = [load_pack(folder), *(p for p in default_packs() if p.name != "national")]
    return lint_packs(packs)


def test_the_shipped_packs_list_nothing_on_supervision_outputs() -> None:
    assert lint_packs(default_packs()) == []


def test_a_list_on_the_unjustified_share_and_its_measure_are_refused(tmp_path: Path) -> None:
    problems = [p for p in _lint(_hostile(tmp_path)) if "supervision output" in p]
    assert any(
        p.startswith("national: lists.yaml: deviating_judges: entry.categories:") for p in problems
    ), problems
    assert any(
        p.startswith("national: measures.yaml: deviating_judges_appointment: lists:")
        for p in problems
    ), problems


def test_a_list_reading_a_deviation_attribute_is_refused(tmp_path: Path) -> None:
    entry = {"categories": ["judicial.case_decision"], "when": {"attr": "deviation", "gt": 2}}
    problems = _lint(_hostile(tmp_path, entry))
    assert any("deviating_judges: entry.when: 'deviation' carries" in p for p in problems)


def test_a_rule_scoring_the_share_needs_the_pack_to_allow_it(tmp_path: Path) -> None:
    folder = tmp_path / "national"
    shutil.copytree(PACKS_DIR / "national", folder)
    with (folder / "scoring.yaml").open("a", encoding="utf-8") as f:
        f.write(
            "  - id: nat.unjustified_deviation_share\n    scheme: national\n"
            "    category: judicial.unjustified_deviation_share\n    points: -100\n"
            "    per: unjustified_share\n    legal_basis: [judges_law art. 41]\n"
        )
    problems = _lint(folder)
    assert any("only where the supervision settings turn on judges.feed_domain" in p
               for p in problems), problems  # fmt: skip


def test_activating_the_hostile_pack_is_refused_and_nothing_changes(
    sqlite_store: Store, tmp_path: Path
) -> None:
    with pytest.raises(PolicyError) as refused:
        activate(sqlite_store, [load_pack(_hostile(tmp_path))], note="hostile")
    assert any("supervision output" in p for p in refused.value.problems)


def test_outputs_are_registered_in_one_place() -> None:
    assert output_of_category("supervision.provider_hold") is not None  # any analytic's
    assert output_of_category("remedy.justification_requested") is not None
    assert output_of_category("judicial.judgment_default") is None
    assert output_of_attribute("deviation_index") is not None
    assert output_of_attribute("amount") is None


def test_a_list_and_measure_on_matched_links_are_refused(tmp_path: Path) -> None:
    """Entity resolution's links (their category, their match probability) trigger no
    list and no measure."""
    problems = _lint(_hostile(tmp_path, {"categories": ["remedy.record_linked"]}))
    assert any("deviating_judges: entry.categories:" in p for p in problems), problems
    assert any(
        p.startswith("national: measures.yaml: deviating_judges_appointment:") for p in problems
    )
    entry = {
        "categories": ["judicial.judgment_default"],
        "when": {"attr": "match_probability", "gt": 0.5},
    }
    assert any("'match_probability' carries" in p for p in _lint(_hostile(tmp_path / "b", entry)))
    undone = _lint(_hostile(tmp_path / "c", {"categories": ["remedy.record_unlinked"]}))
    assert any("deviating_judges: entry.categories:" in p for p in undone), undone
