"""The red-team suite: hostile packs that `socialcredit policy validate` must refuse.

Each case of ``cases.yaml`` edits copies of the shipped packs (a small overlay:
set, append or delete at a path of one YAML file) the way a policy officer with
bad intent would, and names a fragment of the message that must refuse it.
Every case runs through the loader and the lint (``validate_pack``, as the
command does); a few run through the command itself and through activation,
which refuses the same. The shipped packs, unedited, validate clean.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from socialcredit.cli import app
from socialcredit.errors import PolicyError
from socialcredit.ledger.policy_store import activate
from socialcredit.policy.pack import DEFAULT_PACKS, load_pack
from socialcredit.policy.validate import validate_pack
from socialcredit.store.database import Store

from support.redteam import BY_ID, CASES, hostile

THROUGH_THE_COMMAND = (
    "attribute-gender",
    "household-default",
    "black-list-national-grade",
    "basis-tbd-measure",
    "measure-marriage",
    "term-five-years-plus-three",
    "addition-in-national-pack",
)
THROUGH_ACTIVATION = (
    "category-falun_gong",
    "local-scheme-rating",
    "reward-all-but-lowest",
    "measure-all-domains",
    "addition-normative-basis",
)


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_the_suite_covers_enough_distinct_cases() -> None:
    assert len(CASES) >= 60
    assert len(BY_ID) == len(CASES)
    assert all(c["expect"] and c["edits"] and c["why"] for c in CASES)


@pytest.mark.parametrize("name", DEFAULT_PACKS)
def test_the_shipped_packs_validate(name: str) -> None:
    pack, problems = validate_pack(name, DEFAULT_PACKS)
    assert pack is not None and problems == []


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_a_hostile_pack_is_refused(tmp_path: Path, case: dict[str, Any]) -> None:
    _, problems = validate_pack(hostile(tmp_path, case), DEFAULT_PACKS)
    assert any(case["expect"] in p for p in problems), (case["why"], problems)


@pytest.mark.parametrize("case_id", THROUGH_THE_COMMAND)
def test_the_command_refuses_it(tmp_path: Path, case_id: str) -> None:
    folder = hostile(tmp_path, BY_ID[case_id])
    db = f"sqlite:///{tmp_path / 'unused.db'}"
    result = CliRunner().invoke(app, ["--db", db, "policy", "validate", str(folder)])
    assert result.exit_code == 1
    assert _flat(BY_ID[case_id]["expect"]) in _flat(result.output)
    assert "the pack would be refused" in result.output


@pytest.mark.parametrize("case_id", THROUGH_ACTIVATION)
def test_activation_refuses_it(store: Store, tmp_path: Path, case_id: str) -> None:
    folder = hostile(tmp_path, BY_ID[case_id])
    with pytest.raises(PolicyError) as info:
        activate(store, [load_pack(folder)])
    assert any(BY_ID[case_id]["expect"] in p for p in info.value.problems)
