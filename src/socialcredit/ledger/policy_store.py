"""Pack versions and their activations, kept in the store.

Every pack version ever loaded is stored whole (its YAML texts), and every
activation or deactivation is an audited, timestamped row. The policy active
at any instant can therefore be rebuilt exactly: "why was I refused on
3 March" is answered with the packs active on 3 March.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import orjson
from sqlalchemy import Connection, select

from socialcredit.errors import PolicyError
from socialcredit.ledger.registry import pack_digest
from socialcredit.policy.pack import Pack, load_pack_files
from socialcredit.policy.policy_set import PolicySet
from socialcredit.store.bulk import db_datetime, insert_rows
from socialcredit.store.chain import AuditWriter
from socialcredit.store.database import Store
from socialcredit.store.tables import activations, pack_versions


@dataclass(frozen=True)
class ActivePack:
    name: str
    version: str
    digest: str
    activated_at: dt.datetime


def store_version(conn: Connection, pack: Pack, now: dt.datetime) -> str:
    """Keep this version's texts (once); return its digest."""
    digest = pack_digest(pack)
    exists = conn.execute(
        select(pack_versions.c.digest).where(pack_versions.c.digest == digest)
    ).first()
    if exists is None:
        insert_rows(
            conn,
            "pack_versions",
            ("digest", "name", "version", "files", "loaded_at"),
            [
                (
                    digest,
                    pack.name,
                    pack.version,
                    orjson.dumps(pack.files).decode(),
                    db_datetime(conn, now),
                )
            ],
        )
    return digest


def active_packs(conn: Connection, at: dt.datetime | None = None) -> list[ActivePack]:
    """The packs active at ``at`` (default: now, i.e. the latest activations), in
    the order they were first activated."""
    stmt = select(activations).order_by(activations.c.seq)
    if at is not None:
        stmt = stmt.where(activations.c.activated_at <= at)
    state: dict[str, tuple[str | None, dt.datetime, int]] = {}
    first: dict[str, int] = {}
    for row in conn.execute(stmt):
        first.setdefault(row.pack, row.seq)
        state[row.pack] = (
            row.digest if row.action == "activate" else None,
            row.activated_at,
            row.seq,
        )
    versions = {
        r.digest: r.version
        for r in conn.execute(select(pack_versions.c.digest, pack_versions.c.version))
    }
    out = [
        ActivePack(name, versions[digest], digest, when)
        for name, (digest, when, _) in state.items()
        if digest is not None
    ]
    return sorted(out, key=lambda a: first[a.name])


@lru_cache(maxsize=64)
def _pack_from_texts(digest: str, files_json: str) -> Pack:
    files = orjson.loads(files_json)
    return load_pack_files(files, Path(f"<stored {digest[:12]}>"))


def load_version(conn: Connection, digest: str) -> Pack:
    row = conn.execute(
        select(pack_versions.c.files).where(pack_versions.c.digest == digest)
    ).first()
    if row is None:
        raise PolicyError(f"pack version {digest[:12]} is not in the store")
    return _pack_from_texts(digest, row.files)


def active_policy(conn: Connection, at: dt.datetime | None = None) -> PolicySet:
    """The PolicySet active at ``at``; raises if nothing is active."""
    digests = tuple(a.digest for a in active_packs(conn, at))
    if not digests:
        raise PolicyError(
            "no policy pack is active: run `socialcredit init` or "
            "`socialcredit policy activate PACK` (and a second officer's `policy approve`)"
        )
    cached = _POLICIES.get(digests)
    if cached is None:
        cached = PolicySet([load_version(conn, d) for d in digests])
        if len(_POLICIES) > 32:
            _POLICIES.clear()
        _POLICIES[digests] = cached
    return cached


# PolicySets are immutable: one per combination of pack versions is enough
_POLICIES: dict[tuple[str, ...], PolicySet] = {}


def activate(store: Store, packs: Sequence[Pack], note: str | None = None) -> list[str]:
    """Activate pack versions (replacing the active version of the same name),
    without a proposal: only ``init``'s first loading of the configured packs does
    this (the safeguards audit lists any other activation that no second officer
    approved). Officers go through :mod:`socialcredit.ledger.approval`.

    The packs that will be active together are linted first; any problem
    refuses the whole activation and nothing is written.
    """
    now = store.clock.now()
    with store.writer() as conn:
        check_lawful(conn, packs)
        return activate_in(conn, now, packs, note)


def check_lawful(conn: Connection, packs: Sequence[Pack]) -> None:
    """Refuse (``invalid_policy``, every problem listed) packs that would not be
    lawful together with the packs active now."""
    from socialcredit.policy.lint import lint_packs

    combined = {a.name: load_version(conn, a.digest) for a in active_packs(conn)}
    for pack in packs:
        combined[pack.name] = pack
    problems = lint_packs(list(combined.values()))
    if problems:
        raise PolicyError("the packs would not be lawful together", problems)


def activate_in(
    conn: Connection,
    now: dt.datetime,
    packs: Sequence[Pack],
    note: str | None,
    approval: dict[str, str] | None = None,
) -> list[str]:
    """Store and activate ``packs`` in an open write transaction (already checked);
    ``approval`` (proposal, proposed_by, approved_by) goes into each audit entry."""
    current = {a.name: a.digest for a in active_packs(conn)}
    last = conn.execute(
        select(activations.c.seq).order_by(activations.c.seq.desc()).limit(1)
    ).scalar()
    seq = int(last or 0)
    done = []
    with AuditWriter(conn, now) as audit:
        for pack in packs:
            digest = store_version(conn, pack, now)
            if current.get(pack.name) == digest:
                continue
            seq += 1
            insert_rows(
                conn,
                "activations",
                ("seq", "pack", "digest", "action", "activated_at", "note"),
                [(seq, pack.name, digest, "activate", db_datetime(conn, now), note)],
            )
            audit.append(
                "policy.activated",
                pack.name,
                {
                    "pack": pack.name,
                    "version": pack.version,
                    "digest": digest,
                    "note": note,
                    **(approval or {}),
                },
            )
            done.append(f"{pack.name}@{pack.version}")
    return done


def deactivate(store: Store, name: str, note: str | None = None) -> None:
    now = store.clock.now()
    with store.writer() as conn:
        if name not in {a.name for a in active_packs(conn)}:
            raise PolicyError(f"pack {name!r} is not active")
        last = conn.execute(
            select(activations.c.seq).order_by(activations.c.seq.desc()).limit(1)
        ).scalar()
        with AuditWriter(conn, now) as audit:
            insert_rows(
                conn,
                "activations",
                ("seq", "pack", "digest", "action", "activated_at", "note"),
                [(int(last or 0) + 1, name, None, "deactivate", db_datetime(conn, now), note)],
            )
            audit.append("policy.deactivated", name, {"pack": name, "note": note})


def policy_at(conn: Connection, at: dt.datetime) -> tuple[PolicySet, str | None]:
    """The policy active at ``at``; before the first activation, the first policy
    activated (evaluating a time before the platform applied any policy is
    hypothetical) — the second value then says so."""
    try:
        return active_policy(conn, at), None
    except PolicyError:
        first = conn.execute(
            select(activations.c.activated_at).order_by(activations.c.seq).limit(1)
        ).scalar()
        if first is None or first <= at:
            raise
        return active_policy(conn, first), (
            f"no pack was active at {at.isoformat()}; evaluated with the packs first "
            f"activated at {first.isoformat()}"
        )
