"""Creating or upgrading a store and loading the configured packs into it."""

from __future__ import annotations

from dataclasses import dataclass

from socialcredit.ledger.registry import LoadSummary, load_packs_into
from socialcredit.ledger.store import Store
from socialcredit.policy.pack import Pack, load_packs
from socialcredit.settings import Settings


@dataclass(frozen=True)
class InitSummary:
    revision: str
    loaded: LoadSummary


def configured_packs(settings: Settings) -> list[Pack]:
    return load_packs(settings.packs)


def init_store(store: Store, settings: Settings) -> InitSummary:
    loaded = configured_packs(settings)
    revision = store.migrate()
    return InitSummary(revision, load_packs_into(store, loaded))
