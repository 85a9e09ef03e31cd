"""Hostile packs forced into the active set, bypassing activation: the audit reports each.

Every red-team case (``tests/policy/redteam/cases.yaml``) is written straight into
the store's policy tables as the active version of its pack; the live audit must
then fail, naming the pack (or measure) and the rule the pack breaks -- the same
finding the lint makes -- or, for a pack that no longer loads, the load error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from socialcredit.safeguards.audit import SafeguardsAudit, audit_safeguards
from socialcredit.store.database import Store

from support.redteam import BY_ID, CASES, force_folder, hostile

# one case per kind of hostile pack the safeguards issue names
CATEGORIES = {
    "protected grounds": "attribute-sex",
    "ID targeting": "household-default",
    "party": "when-party",
    "punishing points": "local-scheme-black-list-on-d",
    "lists on grades": "black-list-national-grade",
    "fake bases": "basis-tbd-measure",
    "measures outside the Basic List": "measure-marriage",
}


def _flat(text: str) -> str:
    return " ".join(text.split())


def forced(store: Store, tmp_path: Path, case: dict[str, Any]) -> SafeguardsAudit:
    force_folder(store, hostile(tmp_path, case), case["pack"])
    return audit_safeguards(store)


def assert_reported(result: SafeguardsAudit, case: dict[str, Any]) -> None:
    assert not result.ok, case["id"]
    hits = [v for v in result.violations if _flat(case["expect"]) in _flat(v.message)]
    assert hits, (case["why"], [v.text() for v in result.violations])
    for v in hits:
        assert v.item in (f"pack {case['pack']}",) or v.item.startswith("measure ")
        assert v.check in ("lint", "protected", "basic_list")
        assert v.rule and v.remedy  # every finding names its rule and its fix


@pytest.mark.parametrize("category", sorted(CATEGORIES))
def test_each_kind_of_hostile_pack_forced_in_is_reported(
    store: Store, tmp_path: Path, category: str
) -> None:
    assert audit_safeguards(store).ok
    assert_reported(
        forced(store, tmp_path, BY_ID[CATEGORIES[category]]), BY_ID[CATEGORIES[category]]
    )


def test_the_fake_basis_that_does_not_load_is_reported_as_such(
    store: Store, tmp_path: Path
) -> None:
    result = forced(store, tmp_path, BY_ID["basis-tbd-measure"])
    (v, *_rest) = [v for v in result.violations if v.check == "lint"]
    assert v.item == "pack national" and "as stored does not load" in v.message


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_every_red_team_case_forced_in_is_reported(
    store: Store, tmp_path: Path, case: dict[str, Any]
) -> None:
    assert_reported(forced(store, tmp_path, case), case)
