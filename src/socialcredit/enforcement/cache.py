"""The enforcement index in memory, kept fresh by polling what changed.

Rows are read once; afterwards, at most every ``refresh_seconds``, the cache
asks which owners were re-indexed since the version it holds and reloads
their rows. A check therefore sees a record ingested by another process
within ``refresh_seconds`` plus one poll.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, func, select

from socialcredit.enforcement.index import IndexRow
from socialcredit.enforcement.model import PRECEDENCE
from socialcredit.ledger.store import Store
from socialcredit.ledger.tables import enforcement_index

RANK: dict[str, int] = {outcome: i for i, outcome in enumerate(PRECEDENCE)}
Rows = dict[str, dict[str, list[IndexRow]]]  # subject -> action -> rows


def _row(r: Any) -> IndexRow:
    return IndexRow(
        r.subject,
        r.action,
        r.effect,
        r.measure,
        r.entry,
        r.owner,
        r.target,
        r.valid_from,
        r.valid_to,
    )


class IndexCache:
    def __init__(
        self, store: Store, refresh_seconds: float = 0.02, background: bool = True
    ) -> None:
        self.store = store
        self.background = background
        self.refresh_seconds = refresh_seconds
        self.rows: Rows = {}
        self.by_owner: dict[str, set[str]] = {}
        self.version = 0
        self._next_poll = 0.0
        self._lock = threading.Lock()
        with store.reader() as conn:
            self.version = int(
                conn.execute(select(func.max(enforcement_index.c.version))).scalar() or 0
            )
            self._add(
                conn.execute(
                    select(enforcement_index).where(enforcement_index.c.target != "marker")
                )
            )

        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        if background:
            # polling off the checking thread: a check never waits for the database
            self._thread = threading.Thread(target=self._run, name="index-poll", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.refresh_seconds):
            self.refresh(force=True)

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def _add(self, result: Iterable[Any]) -> None:
        for r in result:
            row = _row(r)
            self.rows.setdefault(row.subject, {}).setdefault(row.action, []).append(row)
            self.by_owner.setdefault(row.owner, set()).add(row.subject)

    def _drop(self, owners: set[str]) -> None:
        for owner in owners:
            for subject in self.by_owner.pop(owner, set()):
                actions = self.rows.get(subject, {})
                for action in list(actions):
                    kept = [r for r in actions[action] if r.owner != owner]
                    if kept:
                        actions[action] = kept
                    else:
                        del actions[action]
                if not actions:
                    self.rows.pop(subject, None)

    def refresh(self, force: bool = False) -> None:
        """Take in what was re-indexed since the last poll (the background poller does
        this every ``refresh_seconds``; ``force`` polls now)."""
        if self.background and not force:
            return
        now = time.monotonic()
        if not force and now < self._next_poll:
            return
        with self._lock:
            self._next_poll = now + self.refresh_seconds
            with self.store.reader() as conn:
                self._poll(conn)

    def _poll(self, conn: Connection) -> None:
        changed = conn.execute(
            select(enforcement_index.c.owner, enforcement_index.c.version)
            .where(enforcement_index.c.version > self.version)
            .distinct()
        ).all()
        if not changed:
            return
        owners = {r.owner for r in changed}
        top = max(r.version for r in changed)
        self._drop(owners)
        owner_list = sorted(owners)
        for i in range(0, len(owner_list), 900):
            self._add(
                conn.execute(
                    select(enforcement_index).where(
                        enforcement_index.c.owner.in_(owner_list[i : i + 900]),
                        enforcement_index.c.target != "marker",
                    )
                )
            )
        self.version = top

    def lookup(self, subject: str, action: str, day: dt.date) -> list[IndexRow]:
        """The rows in force on ``day``, strongest effect first."""
        rows = self.rows.get(subject)
        if not rows:
            return []
        found = [r for r in rows.get(action, ()) if r.valid_from <= day < r.valid_to]
        found.sort(key=lambda r: RANK[r.effect])
        return found

    def outcome(self, subject: str, action: str, day: dt.date) -> str:
        rows = self.rows.get(subject)
        if not rows:
            return "allow"
        best = "allow"
        for r in rows.get(action, ()):
            if r.valid_from <= day < r.valid_to and RANK[r.effect] < RANK[best]:
                best = r.effect
        return best
