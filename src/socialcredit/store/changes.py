"""Whether anything was committed to a store since the last look, as cheaply as asked.

A poller that reads the store every few milliseconds for changes pays a transaction
and its queries each time, idle or not. On SQLite, ``PRAGMA data_version`` on a
connection of its own answers without a transaction: its value moves whenever
another connection commits (https://sqlite.org/pragma.html#pragma_data_version),
and this connection never writes. Elsewhere (PostgreSQL, an in-memory database)
every look answers "maybe": the poller reads as before.
"""

from __future__ import annotations

import sqlite3

from socialcredit.store.database import sqlite_file


class Changes:
    """``since_last()``: True when something may have been committed since the last call
    (always on the first). Not thread-safe: one poller calls it."""

    def __init__(self, url: str) -> None:
        path = sqlite_file(url)
        self._conn = None if path is None else sqlite3.connect(path, check_same_thread=False)
        self._seen: int | None = None

    def since_last(self) -> bool:
        if self._conn is None:
            return True
        version = int(self._conn.execute("PRAGMA data_version").fetchone()[0])
        changed = version != self._seen
        self._seen = version
        return changed

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


__all__ = ["Changes"]
