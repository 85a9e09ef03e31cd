"""The store: migrations match the tables, URLs are checked, SQLite runs in WAL mode."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, text
from sqlalchemy.exc import IntegrityError

from socialcredit.errors import StoreError
from socialcredit.ledger.bootstrap import init_store
from socialcredit.settings import Settings
from socialcredit.store.database import Store
from socialcredit.store.tables import include_object, metadata, records
from socialcredit.store.verify import verify

from support.factories import ingest_on, judgment_default, person_id


def _context(conn: Connection) -> MigrationContext:
    """Schema comparison, leaving out what only the migrations can declare (FTS5, GIN)."""
    return MigrationContext.configure(conn, opts={"include_object": include_object})


def test_migrations_create_exactly_the_declared_tables(store: Store) -> None:
    with store.engine.connect() as conn:
        diff = compare_metadata(_context(conn), metadata)
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


def test_the_lean_ledger_migration_keeps_the_ledger(store: Store) -> None:
    """0005 rebuilds records and audit_log (SQLite) and drops two indexes; down
    to 0004 and up again, every record and the audit chain survive, and a
    record's identity, (provider, ref), still cannot be stored twice."""
    ingest_on(
        store,
        "2026-03-01",
        *[judgment_default(ref=f"m-{i}", subject=person_id(seq=i)) for i in range(5)],
    )
    for step, target in ((command.downgrade, "0004"), (command.upgrade, "head")):
        with store.engine.begin() as conn:
            step(store._alembic_config(conn), target)
        with store.reader() as conn:
            assert conn.execute(text("SELECT count(*) FROM records")).scalar() == 5
            assert verify(conn).ok
    with store.engine.connect() as conn:
        assert compare_metadata(_context(conn), metadata) == []
    with pytest.raises(IntegrityError), store.writer() as conn:
        row = conn.execute(records.select().order_by(records.c.seq.desc()).limit(1)).one()
        conn.execute(records.insert().values({**row._mapping, "seq": row.seq + 1}))


def test_a_new_sqlite_store_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    import stat

    from socialcredit.ledger.bootstrap import init_store
    from socialcredit.settings import Settings

    db = tmp_path / "private" / "nested" / "store.db"
    url = f"sqlite:///{db}"
    store = Store(url)
    try:
        init_store(store, Settings(db=url))
        with store.reader() as conn:  # the WAL files exist while a connection is open
            conn.exec_driver_sql("SELECT 1")
            files = [db, db.with_name("store.db-wal"), db.with_name("store.db-shm")]
            modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in files if p.exists()}
    finally:
        store.close()
    assert modes["store.db"] == 0o600 and set(modes.values()) == {0o600}, modes
    assert stat.S_IMODE(db.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "private").stat().st_mode) == 0o700
