"""A full disk and a read-only store: a clear coded error, nothing half-written, and
the next run succeeds once space (or write access) returns.

The full disk is SQLite's own SQLITE_FULL, reached by capping the database's pages
(``PRAGMA max_page_count``), the condition a full file system raises; the read-only
store is a real read-only open (SQLite ``mode=ro``; a PostgreSQL session with
``default_transaction_read_only``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, select

from socialcredit.errors import StoreFull, StoreReadOnly
from socialcredit.ledger.bootstrap import init_store
from socialcredit.services.ingest import ingestor
from socialcredit.settings import Settings
from socialcredit.store.database import Store
from socialcredit.store.tables import records
from socialcredit.store.verify import verify

from support.factories import judgment_default, person_id


def _batch(n: int, start: int = 0) -> list[dict[str, Any]]:
    rows = []
    for i in range(start, start + n):
        row = judgment_default(ref=f"(2026)京0105执{i}号", subject=person_id(seq=i % 900 + 1))
        row["attributes"]["case_no"] = f"(2026)京0105执{i}号"
        rows.append(row)
    return rows


def _stored(store: Store) -> int:
    with store.reader() as conn:
        return int(conn.execute(select(func.count()).select_from(records)).scalar_one())


@pytest.fixture
def sqlite_store(tmp_path: Path, clock: Any) -> Iterator[Store]:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    store = Store(url, clock=clock)
    init_store(store, Settings(db=url))
    yield store
    store.close()


def test_a_full_disk_rolls_the_whole_batch_back_and_the_next_run_succeeds(
    sqlite_store: Store,
) -> None:
    store = sqlite_store
    with store.reader() as conn:
        pages = int(conn.exec_driver_sql("PRAGMA page_count").scalar_one())

    def cap(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages + 8}")

    store.engine.dispose()
    event.listen(store.engine, "connect", cap)
    with pytest.raises(StoreFull) as err:
        ingestor(store, batch_size=5_000).ingest_dicts(_batch(2_000))
    assert err.value.code == "store_full" and err.value.status == 507
    event.remove(store.engine, "connect", cap)
    store.engine.dispose()  # space returns
    assert _stored(store) == 0
    with store.reader() as conn:
        assert verify(conn).ok
    result = ingestor(store, batch_size=5_000).ingest_dicts(_batch(2_000))
    assert result.accepted == 2_000 and _stored(store) == 2_000
    with store.reader() as conn:
        assert verify(conn).ok


def test_a_read_only_sqlite_store_refuses_writes_with_a_coded_error(
    sqlite_store: Store, tmp_path: Path, clock: Any
) -> None:
    ingestor(sqlite_store).ingest_dicts(_batch(3))
    sqlite_store.close()
    path = tmp_path / "store.db"
    read_only = Store(f"sqlite:///file:{path}?mode=ro&uri=true", clock=clock)
    try:
        assert _stored(read_only) == 3  # reads work
        with pytest.raises(StoreReadOnly) as err:
            ingestor(read_only).ingest_dicts(_batch(3, start=10))
        assert err.value.code == "store_read_only"
        assert _stored(read_only) == 3
    finally:
        read_only.close()
    writable = Store(f"sqlite:///{path}", clock=clock)
    try:
        assert ingestor(writable).ingest_dicts(_batch(3, start=10)).accepted == 3
        assert _stored(writable) == 6
    finally:
        writable.close()


@pytest.mark.parametrize(
    "db_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_a_read_only_postgresql_session_refuses_writes_with_a_coded_error(
    store: Store, clock: Any
) -> None:
    ingestor(store).ingest_dicts(_batch(3))
    read_only = Store(store.url + "%20-cdefault_transaction_read_only%3Don", clock=clock)
    try:
        with pytest.raises(StoreReadOnly):
            ingestor(read_only).ingest_dicts(_batch(3, start=10))
        assert _stored(read_only) == 3
    finally:
        read_only.close()
    assert ingestor(store).ingest_dicts(_batch(3, start=10)).accepted == 3
