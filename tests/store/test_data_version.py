"""The cheap "anything committed?" a poller asks before it reads the store."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from socialcredit.store.changes import Changes
from socialcredit.store.database import Store


def test_a_commit_by_another_connection_is_seen_once(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'store.db'}")
    with store.writer() as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER)"))
    changes = Changes(store.url)
    try:
        assert changes.since_last()  # the first look: anything may have changed
        assert not changes.since_last()
        with store.writer() as conn:
            conn.execute(text("INSERT INTO t VALUES (1)"))
        assert changes.since_last()
        assert not changes.since_last()
        with store.reader() as conn:  # a read commits nothing
            conn.execute(text("SELECT count(*) FROM t")).scalar()
        assert not changes.since_last()
    finally:
        changes.close()
        store.close()


def test_without_a_database_file_every_look_says_maybe() -> None:
    for url in ("sqlite://", "postgresql://u:p@127.0.0.1:5432/db"):
        changes = Changes(url)
        assert changes.since_last() and changes.since_last()
        changes.close()
