"""`policy validate`: load a pack and lint it together with the packs it joins."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from socialcredit.errors import PolicyError
from socialcredit.policy.lint import lint_packs
from socialcredit.policy.pack import Pack, load_pack


def validate_pack(path: str | Path, alongside: Sequence[str]) -> tuple[Pack | None, list[str]]:
    """Every problem of a pack: its structure, then the safeguards lint with the
    packs named in ``alongside`` (a pack of the same name is replaced by it)."""
    try:
        pack = load_pack(path)
    except PolicyError as exc:
        return None, exc.problems or [exc.message]
    others: list[Pack] = []
    for name in alongside:
        try:
            other = load_pack(name)
        except PolicyError as exc:
            return pack, [f"{name}: {p}" for p in exc.problems]
        if other.name != pack.name:
            others.append(other)
    return pack, lint_packs([*others, pack])
