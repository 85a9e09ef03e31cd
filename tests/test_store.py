"""The store: migrations match the tables, URLs are checked, SQLite runs in WAL mode."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from socialcredit.errors import StoreError
from socialcredit.ledger.bootstrap import init_store
from socialcredit.ledger.store import Store
from socialcredit.ledger.tables import metadata
from socialcredit.settings import Settings


def test_migrations_create_exactly_the_declared_tables(store: Store) -> None:
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_init_is_idempotent_and_upgrades_in_place(store: Store, db_url: str) -> None:
    again = init_store(store, Settings(db=db_url))
    assert again.revision == store.head_revision()
    assert again.loaded.providers == 0  # nothing changed the second time
    store.require_schema()


def test_uninitialised_store_is_refused_clearly(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'empty.db'}")
    with pytest.raises(StoreError) as info:
        store.require_schema()
    assert info.value.code == "not_initialised"


def test_sqlite_store_uses_wal(sqlite_store: Store) -> None:
    with sqlite_store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"


@pytest.mark.parametrize("url", ["mysql://x/y", "not a url"])
def test_unsupported_or_invalid_urls(url: str) -> None:
    with pytest.raises(StoreError) as info:
        Store(url)
    assert info.value.code == "invalid_db_url"


def test_settings_read_the_environment() -> None:
    s = Settings.from_env({"SOCIALCREDIT_DB": "sqlite:///x.db", "SOCIALCREDIT_PACKS": "national"})
    assert s.db == "sqlite:///x.db" and s.packs == ("national",)
    assert Settings.from_env({}, db="sqlite:///y.db").db == "sqlite:///y.db"
