"""Two officers to activate a pack: proposed by one, approved by another, both audited."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import Result
from sqlalchemy import select
from typer.testing import CliRunner

from socialcredit.access.keys import ApiKey, Forbidden, create_key
from socialcredit.cli import app
from socialcredit.errors import PolicyError, SocialCreditError
from socialcredit.ledger.approval import approve, proposals, propose, reject
from socialcredit.ledger.policy_store import active_policy
from socialcredit.policy.pack import load_pack, pack_folder, read_pack_files
from socialcredit.store.database import Store
from socialcredit.store.tables import audit_log


def variant(tmp_path: Path, version: str, extra_rule: str = "") -> Path:
    folder = tmp_path / f"rongcheng-{version}"
    folder.mkdir(parents=True)
    for name, text in read_pack_files(pack_folder("rongcheng")).items():
        if name == "pack.yaml":
            text = text.replace('version: "2026.1"', f'version: "{version}"')
        if name == "scoring.yaml":
            text += extra_rule
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def officer(store: Store, name: str) -> ApiKey:
    return create_key(store, name, ["role:policy-officer"])[0]


def audit_events(store: Store) -> list[tuple[str, dict[str, object]]]:
    with store.reader() as conn:
        rows = conn.execute(
            select(audit_log.c.event, audit_log.c.payload).order_by(audit_log.c.seq)
        ).all()
    return [(r.event, json.loads(r.payload)) for r in rows if r.event.startswith("policy.")]


def test_a_proposal_takes_effect_only_when_a_second_officer_approves(
    store: Store, tmp_path: Path
) -> None:
    alice, bob = officer(store, "alice"), officer(store, "bob")
    proposal = propose(store, [load_pack(variant(tmp_path, "2026.2"))], alice, note="new year")
    with store.reader() as conn:
        assert "rongcheng@2026.1" in active_policy(conn).version  # nothing changed yet
        assert [p.id for p in proposals(conn, "pending")] == [proposal]
    with pytest.raises(Forbidden):
        approve(store, proposal, alice)  # the proposer cannot approve alone
    assert approve(store, proposal, bob) == ["rongcheng@2026.2"]
    with store.reader() as conn:
        assert "rongcheng@2026.2" in active_policy(conn).version
        assert proposals(conn, "pending") == []
    events = audit_events(store)
    assert [e for e, _ in events][-3:] == ["policy.proposed", "policy.approved", "policy.activated"]
    activated = events[-1][1]
    assert (activated["proposed_by"], activated["approved_by"]) == ("alice", "bob")


def test_only_policy_officers_propose_and_approve(store: Store, tmp_path: Path) -> None:
    airline = create_key(store, "airline", ["transport.air.*"])[0]
    pack = load_pack(variant(tmp_path, "2026.2"))
    with pytest.raises(Forbidden):
        propose(store, [pack], airline)
    proposal = propose(store, [pack], officer(store, "alice"))
    with pytest.raises(Forbidden):
        approve(store, proposal, airline)


def test_a_pack_the_lint_refuses_cannot_even_be_proposed(store: Store, tmp_path: Path) -> None:
    grade_cap = """
  - id: rc.punish
    scheme: rongcheng
    category: transport.traffic_violation
    points: -5
    grade_cap: D
    legal_basis: [rongzhengfa_2021_3 att. 1]
"""
    with pytest.raises(PolicyError) as err:
        propose(store, [load_pack(variant(tmp_path, "2026.9", grade_cap))], officer(store, "a"))
    assert any("grade_cap" in p for p in err.value.problems)
    with store.reader() as conn:
        assert proposals(conn) == []


def test_a_rejected_or_decided_proposal_cannot_be_approved(store: Store, tmp_path: Path) -> None:
    alice, bob = officer(store, "alice"), officer(store, "bob")
    proposal = propose(store, [load_pack(variant(tmp_path, "2026.2"))], alice)
    with pytest.raises(SocialCreditError) as empty:
        reject(store, proposal, bob, "  ")
    assert empty.value.code == "invalid_option"
    reject(store, proposal, bob, "not reviewed by the legal office")
    with pytest.raises(SocialCreditError) as err:
        approve(store, proposal, bob)
    assert err.value.code == "invalid_transition"
    with pytest.raises(SocialCreditError) as missing:
        approve(store, "PP-nothing", bob)
    assert missing.value.code == "not_found"
    with store.reader() as conn:
        assert [p.state for p in proposals(conn)] == ["rejected"]
        assert "rongcheng@2026.1" in active_policy(conn).version


def test_the_commands_propose_approve_and_list(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    runner = CliRunner()

    def run(*args: str, key: str | None = None) -> Result:
        env = {"SOCIALCREDIT_KEY": key} if key else {}
        return runner.invoke(app, ["--db", db, *args], env=env, catch_exceptions=False)

    assert run("init").exit_code == 0
    tokens = []
    for name in ("alice", "bob"):
        made = run("keys", "create", name, "--scope", "role:policy-officer")
        tokens.append(made.stdout.split()[-1])
    folder = variant(tmp_path, "2026.3")
    proposed = run("policy", "activate", str(folder), "--key", tokens[0])
    proposal = proposed.stdout.split("proposed: ")[1].split(";")[0]
    listed = json.loads(run("policy", "proposals", "--json").stdout)
    assert [p["id"] for p in listed] == [proposal]
    approved = run("policy", "approve", proposal, key=tokens[1])
    assert "rongcheng@2026.3" in approved.stdout
    active = json.loads(run("policy", "list", "--json").stdout)
    assert {"rongcheng": "2026.3"}.items() <= {r["name"]: r["version"] for r in active}.items()
