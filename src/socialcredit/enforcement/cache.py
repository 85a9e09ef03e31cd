"""The enforcement index and the list entries it points to, in memory.

Everything is read once; afterwards a background thread asks, every
``refresh_seconds``, which owners were re-indexed since the version it holds
and reloads their rows and entries (on SQLite, only when something was committed
since the last poll: :mod:`socialcredit.store.changes`). Ingestion in the same process also
refreshes every live cache right after it commits (:func:`notify`), so the
next check in this process sees the change; another process sees it within
one poll.
"""

from __future__ import annotations

import datetime as dt
import threading
import weakref
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from sqlalchemy import Connection, func, select

from socialcredit.clock import today
from socialcredit.enforcement.index import IndexRow
from socialcredit.enforcement.model import PRECEDENCE, ListEntry
from socialcredit.store.changes import Changes
from socialcredit.store.database import Store
from socialcredit.store.tables import activations, enforcement_index, list_entries

RANK: dict[str, int] = {outcome: i for i, outcome in enumerate(PRECEDENCE)}
Rows = dict[str, dict[str, list[IndexRow]]]  # subject -> action -> rows
T = TypeVar("T")
MAX_MEMO = 100_000  # answers kept between two commits (then all are dropped)
_LIVE: weakref.WeakSet[IndexCache] = weakref.WeakSet()


def notify(url: str) -> None:
    """Refresh every live cache of the store at ``url`` now (after a commit)."""
    for cache in list(_LIVE):
        if cache.store.url == url:
            cache.refresh(force=True)


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
        self.entries: dict[str, dict[str, ListEntry]] = {}  # owner -> entry id -> entry
        self.version = 0
        self.activation_seq = 0  # the newest policy activation, polled with the index
        # answers read from the ledger (where a listed subject lives), kept until the
        # next commit to the store: any commit may change them
        self._memo: dict[tuple[str, dt.date], Any] = {}
        self._lock = threading.Lock()
        # a poll with nothing committed since reads nothing; asked before the first
        # read, so that what is committed during it is read by the next poll
        self._changes = Changes(store.url)
        self._changes.since_last()
        with store.reader() as conn:
            self.activation_seq = int(
                conn.execute(select(func.max(activations.c.seq))).scalar() or 0
            )
            self.version = int(
                conn.execute(select(func.max(enforcement_index.c.version))).scalar() or 0
            )
            self._add(
                conn.execute(
                    select(enforcement_index).where(enforcement_index.c.target != "marker")
                )
            )
            self._add_entries(
                conn.execute(select(list_entries.c.subject, list_entries.c.status_basis))
            )
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        _LIVE.add(self)
        if background:
            # polling off the checking thread: a check never waits for the database
            self._thread = threading.Thread(target=self._run, name="index-poll", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.refresh_seconds):
            self.refresh(force=True)

    def close(self) -> None:
        self._stop.set()
        _LIVE.discard(self)
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
        with self._lock:
            self._changes.close()

    # -- loading ----------------------------------------------------------------
    def _add(self, result: Iterable[Any]) -> None:
        for r in result:
            row = _row(r)
            self.rows.setdefault(row.subject, {}).setdefault(row.action, []).append(row)
            self.by_owner.setdefault(row.owner, set()).add(row.subject)

    def _add_entries(self, result: Iterable[Any]) -> None:
        # held with today's status; a decision derives the status for its own day
        day = today(self.store.clock)
        for r in result:
            entry = ListEntry.load(r.status_basis, day)
            self.entries.setdefault(r.subject, {})[entry.id] = entry

    def _drop(self, owners: set[str]) -> None:
        for owner in owners:
            self.entries.pop(owner, None)
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
        """Take in what was re-indexed since the last poll. Without a background
        poller, this polls when called; with one, only when ``force``d."""
        if self.background and not force:
            return
        with self._lock:
            if not self._changes.since_last():
                return
            self._memo = {}
            with self.store.reader() as conn:
                self._poll(conn)

    def memo(self, subject: str, day: dt.date, compute: Callable[[], T]) -> T:
        """``compute()``'s answer about ``subject`` on ``day``, computed once until the
        next commit anyone makes to the store (seen, like the index, by the next poll:
        at once after an ingest in this process, within one poll otherwise)."""
        memo = self._memo
        key = (subject, day)
        if key in memo:
            found: T = memo[key]
            return found
        value = compute()
        if len(memo) >= MAX_MEMO:
            memo.clear()
        memo[key] = value
        return value

    def _poll(self, conn: Connection) -> None:
        self.activation_seq = int(conn.execute(select(func.max(activations.c.seq))).scalar() or 0)
        # the newest version first: an index-only look-up, the usual answer is "nothing"
        top_now = conn.execute(select(func.max(enforcement_index.c.version))).scalar()
        if top_now is None or int(top_now) <= self.version:
            return
        changed = conn.execute(
            select(enforcement_index.c.owner, enforcement_index.c.version).where(
                enforcement_index.c.version > self.version
            )
        ).all()
        owners = {r.owner for r in changed}
        self._drop(owners)
        owner_list = sorted(owners)
        for i in range(0, len(owner_list), 900):
            part = owner_list[i : i + 900]
            self._add(
                conn.execute(
                    select(enforcement_index).where(
                        enforcement_index.c.owner.in_(part), enforcement_index.c.target != "marker"
                    )
                )
            )
            self._add_entries(
                conn.execute(
                    select(list_entries.c.subject, list_entries.c.status_basis).where(
                        list_entries.c.subject.in_(part)
                    )
                )
            )
        self.version = max(int(top_now), max((r.version for r in changed), default=0))

    # -- look-ups ---------------------------------------------------------------
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

    def entries_of(self, subject: str) -> list[ListEntry]:
        return list(self.entries.get(subject, {}).values())

    def entries_by_id(self, owners_and_ids: Sequence[tuple[str, str]]) -> dict[str, ListEntry]:
        out = {}
        for owner, entry_id in owners_and_ids:
            entry = self.entries.get(owner, {}).get(entry_id)
            if entry is not None:
                out[entry_id] = entry
        return out
