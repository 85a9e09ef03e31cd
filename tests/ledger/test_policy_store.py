"""Pack versions and activations: versioned, audited, as of any time, lint first."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from socialcredit.clock import FixedClock
from socialcredit.errors import PolicyError
from socialcredit.ledger.policy_store import (
    ActivePack,
    activate,
    active_packs,
    active_policy,
    deactivate,
)
from socialcredit.policy.pack import load_pack, pack_folder, read_pack_files
from socialcredit.store.database import Store
from socialcredit.store.tables import activations, audit_log


def _variant(tmp_path: Path, name: str, version: str, extra: str = "") -> Path:
    folder = tmp_path / f"{name}-{version}"
    folder.mkdir(parents=True)
    for fname, text in read_pack_files(pack_folder(name)).items():
        if fname == "pack.yaml":
            text = text.replace('version: "2026.1"', f'version: "{version}"')
        if fname == "categories.yaml":
            text += extra
        (folder / fname).write_text(text, encoding="utf-8")
    return folder


def test_init_activates_the_configured_packs(store: Store) -> None:
    names = [a.name for a in _active(store)]
    assert names == ["national", "food-drug", "rongcheng"]
    with store.reader() as conn:
        policy = active_policy(conn)
    assert policy.version == "national@2026.1+food-drug@2026.1+rongcheng@2026.1"


def _active(store: Store) -> list[ActivePack]:
    with store.reader() as conn:
        return list(active_packs(conn))


def test_a_new_version_replaces_the_old_from_its_activation_on(
    store: Store, tmp_path: Path
) -> None:
    clock = store.clock
    assert isinstance(clock, FixedClock)
    before = clock.now()
    clock.advance(days=10)
    done = activate(store, [load_pack(_variant(tmp_path, "rongcheng", "2026.2"))], note="test")
    assert done == ["rongcheng@2026.2"]
    with store.reader() as conn:
        assert "rongcheng@2026.2" in active_policy(conn).version
        assert "rongcheng@2026.1" in active_policy(conn, before).version
        events = [r.event for r in conn.execute(select(audit_log.c.event))]
    assert events.count("policy.activated") == 4
    # activating the same version again changes nothing
    assert activate(store, [load_pack(_variant(tmp_path / "x", "rongcheng", "2026.2"))]) == []


def test_deactivation_is_recorded_and_audited(store: Store) -> None:
    deactivate(store, "food-drug", note="withdrawn")
    assert [a.name for a in _active(store)] == ["national", "rongcheng"]
    with pytest.raises(PolicyError, match="not active"):
        deactivate(store, "food-drug")


def test_an_unlawful_pack_is_refused_whole(store: Store, tmp_path: Path) -> None:
    bad = """
  social.ethnicity_record:
    title: Ethnicity of the subject
    domain: social
    severity: minor
    subjects: [person]
    legal_basis: civil_code art. 577
    attributes:
      ethnicity: {type: string}
"""
    pack = load_pack(_variant(tmp_path, "rongcheng", "2026.9", extra=bad))
    with pytest.raises(PolicyError) as info:
        activate(store, [pack])
    assert any("ethnicity" in p for p in info.value.problems)
    with store.reader() as conn:
        assert len(conn.execute(select(activations)).all()) == 3
        assert "rongcheng@2026.1" in active_policy(conn).version


def test_nothing_active_is_a_clear_error(store: Store) -> None:
    for name in ("national", "food-drug", "rongcheng"):
        deactivate(store, name)
    with store.reader() as conn, pytest.raises(PolicyError, match="no policy pack is active"):
        active_policy(conn)


def test_before_the_first_activation_the_first_policy_is_used_and_said(store: Store) -> None:
    from socialcredit.clock import parse_instant
    from socialcredit.ledger.policy_store import policy_at

    with store.reader() as conn:
        policy, note = policy_at(conn, parse_instant("2020-01-01"))
        assert policy.version.startswith("national@")
        assert note is not None and "no pack was active" in note
        _now_policy, none = policy_at(conn, store.clock.now())
    assert none is None
