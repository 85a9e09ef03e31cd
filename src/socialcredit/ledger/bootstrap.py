"""Creating or upgrading a store and loading the configured packs into it."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from socialcredit.ledger.policy_store import activate
from socialcredit.ledger.registry import LoadSummary, load_packs_into
from socialcredit.policy.pack import Pack, load_packs
from socialcredit.settings import Settings
from socialcredit.store.database import Store
from socialcredit.store.partitions import make_ahead
from socialcredit.store.tables import activations


@dataclass(frozen=True)
class InitSummary:
    revision: str
    loaded: LoadSummary
    activated: list[str] = field(default_factory=list)


def configured_packs(settings: Settings) -> list[Pack]:
    return load_packs(settings.packs)


def init_store(store: Store, settings: Settings) -> InitSummary:
    loaded = configured_packs(settings)
    revision = store.migrate()
    if store.dialect == "postgresql":  # the ledger's partitions, months ahead
        with store.writer() as conn:
            make_ahead(conn, store.clock.now())
    summary = load_packs_into(store, loaded)
    with store.reader() as conn:
        seen = {r.pack for r in conn.execute(select(activations.c.pack))}
    # a pack is activated by `init` only the first time; later versions are
    # proposed and approved by two officers (`policy activate`, `policy approve`)
    fresh = [p for p in loaded if p.name not in seen]
    done = activate(store, fresh, note="activated by init") if fresh else []
    return InitSummary(revision, summary, done)
