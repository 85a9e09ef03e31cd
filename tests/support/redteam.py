"""Hostile packs as data (``tests/policy/redteam/cases.yaml``) and forcing packs into a store.

``hostile`` builds the copies of the shipped packs one case edits; ``force_active``
writes a pack version straight into the store's policy tables, bypassing the lint
and the two officers, as an older version of the platform or a direct database
write could have.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from typing import Any

import orjson
import yaml
from sqlalchemy import func, select

from socialcredit.policy.pack import DEFAULT_PACKS, PACKS_DIR, read_pack_files
from socialcredit.store.bulk import db_datetime, insert_rows
from socialcredit.store.database import Store
from socialcredit.store.tables import activations

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent.parent / "policy" / "redteam" / "cases.yaml").read_text(encoding="utf-8")
)
BY_ID = {c["id"]: c for c in CASES}


def _apply(folder: Path, edit: dict[str, Any]) -> None:
    file = folder / edit["file"]
    data = yaml.safe_load(file.read_text(encoding="utf-8")) if file.exists() else None
    data = data if data is not None else {}
    *parents, last = edit["path"]
    node = data
    for key in parents:
        node = node.setdefault(key, {}) if isinstance(node, dict) else node[key]
    if "set" in edit:
        node[last] = edit["set"]
    elif "append" in edit:
        node[last].append(edit["append"])
    else:
        assert edit.get("delete") is True, edit
        del node[last]
    file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def hostile(root: Path, case: dict[str, Any]) -> Path:
    """Copies of the shipped packs under ``root``, one of them edited by the case."""
    for name in DEFAULT_PACKS:
        shutil.copytree(PACKS_DIR / name, root / name)
    for edit in case["edits"]:
        _apply(root / case["pack"], edit)
    return root / case["pack"]


def force_active(store: Store, name: str, files: dict[str, str], version: str = "forced") -> str:
    """Store these pack texts as a version of pack ``name`` and activate it now, without
    loading, linting or approving them; returns the digest."""
    text = orjson.dumps(files, option=orjson.OPT_SORT_KEYS).decode()
    digest = hashlib.sha256(f"{name}\x00{text}".encode()).hexdigest()
    now = store.clock.now()
    with store.writer() as conn:
        insert_rows(
            conn,
            "pack_versions",
            ("digest", "name", "version", "files", "loaded_at"),
            [(digest, name, version, text, db_datetime(conn, now))],
        )
        seq = int(conn.execute(select(func.max(activations.c.seq))).scalar() or 0) + 1
        insert_rows(
            conn,
            "activations",
            ("seq", "pack", "digest", "action", "activated_at", "note"),
            [(seq, name, digest, "activate", db_datetime(conn, now), "forced")],
        )
    return digest


def force_folder(store: Store, folder: Path, name: str) -> str:
    return force_active(store, name, read_pack_files(folder))
