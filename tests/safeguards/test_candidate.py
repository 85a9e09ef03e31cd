"""`policy activate` and `policy approve` run the lint and the safeguards audit on the
candidate -- the packs that would be active -- and refuse on any violation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from socialcredit.access.keys import ApiKey, create_key
from socialcredit.cli import app
from socialcredit.errors import PolicyError, UnsafePolicy
from socialcredit.ledger.policy_store import active_policy
from socialcredit.policy.pack import Pack, load_pack_files, pack_folder, read_pack_files
from socialcredit.services.activation import approve_proposal, propose_packs
from socialcredit.services.ingest import ingestor
from socialcredit.store.database import Store

from support.factories import org_id
from support.redteam import BY_ID, force_folder, hostile

FIRM = org_id(code="MA3C4D5T1")


def officer(store: Store, name: str) -> ApiKey:
    return create_key(store, name, ["role:policy-officer"])[0]


def without_tax_a_list() -> Pack:
    """A national version that drops the tax A red list (and the rewards on it): lawful
    as packs, but it would leave the live A-grade entries in force with no list."""
    files = read_pack_files(pack_folder("national"))
    lists = yaml.safe_load(files["lists.yaml"])
    measures = yaml.safe_load(files["measures.yaml"])
    del lists["lists"]["tax_a_grade"]
    for name in list(measures["measures"]):
        kept = [n for n in measures["measures"][name]["lists"] if n != "tax_a_grade"]
        if kept:
            measures["measures"][name]["lists"] = kept
        else:
            del measures["measures"][name]
    files = {
        **files,
        "pack.yaml": files["pack.yaml"].replace('version: "2026.1"', 'version: "2026.2"'),
        "lists.yaml": yaml.safe_dump(lists, allow_unicode=True, sort_keys=False),
        "measures.yaml": yaml.safe_dump(measures, allow_unicode=True, sort_keys=False),
    }
    return load_pack_files(files, Path("national-2026.2"))


def a_grade(store: Store) -> None:
    row: dict[str, Any] = {
        "provider": "sat.national",
        "ref": "grade-2025",
        "subject": FIRM,
        "category": "tax.credit_grade",
        "occurred_at": "2026-03-01",
        "attributes": {"year": 2025, "grade": "A"},
    }
    assert ingestor(store).ingest_dicts([row]).rejected == 0


def test_a_proposal_the_audit_finds_unsafe_is_refused(store: Store) -> None:
    a_grade(store)
    with pytest.raises(UnsafePolicy) as err:
        propose_packs(store, [without_tax_a_list()], officer(store, "alice"))
    assert err.value.code == "unsafe_policy"
    (problem,) = err.value.problems
    assert problem.startswith(f"legal_basis: tax_a_grade:{FIRM}:")
    assert "would stay in force with no list tax_a_grade" in problem and "(fix: keep" in problem


def test_the_same_version_passes_when_no_entry_depends_on_the_list(store: Store) -> None:
    alice, bob = officer(store, "alice"), officer(store, "bob")
    proposal = propose_packs(store, [without_tax_a_list()], alice)
    assert approve_proposal(store, proposal, bob) == ["national@2026.2"]


def test_an_approval_the_audit_finds_unsafe_is_refused(store: Store) -> None:
    alice, bob = officer(store, "alice"), officer(store, "bob")
    proposal = propose_packs(store, [without_tax_a_list()], alice)
    a_grade(store)  # meanwhile an enterprise is listed on the list the version drops
    with pytest.raises(UnsafePolicy) as err:
        approve_proposal(store, proposal, bob)
    assert any("no list tax_a_grade" in p for p in err.value.problems)
    with store.reader() as conn:
        assert "national@2026.1" in active_policy(conn).version  # nothing activated


def test_the_commands_refuse_a_hostile_pack_and_an_unsafe_approval(
    store: Store, tmp_path: Path
) -> None:
    alice = create_key(store, "alice", ["role:policy-officer"])[1]
    bob = create_key(store, "bob", ["role:policy-officer"])[1]
    runner = CliRunner()
    folder = hostile(tmp_path / "hostile", BY_ID["measure-marriage"])
    refused = runner.invoke(
        app, ["--db", store.url, "policy", "activate", str(folder), "--key", alice]
    )
    assert refused.exit_code == 1 and isinstance(refused.exception, PolicyError)
    # a lawful proposal, then a hostile pack forced in before the approval
    lawful = hostile(tmp_path / "lawful", {"pack": "rongcheng", "edits": []})
    proposed = runner.invoke(
        app, ["--db", store.url, "policy", "activate", str(lawful), "--key", alice]
    )
    assert proposed.exit_code == 0, proposed.output
    proposal = proposed.stdout.split("proposed: ")[1].split(";")[0]
    force_folder(store, hostile(tmp_path / "forced", BY_ID["measure-marriage"]), "national")
    approved = runner.invoke(app, ["--db", store.url, "policy", "approve", proposal, "--key", bob])
    assert approved.exit_code == 1 and isinstance(approved.exception, PolicyError)
    assert any("marriage" in p for p in approved.exception.problems)
