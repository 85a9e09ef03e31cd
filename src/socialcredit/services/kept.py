"""Answers kept until the store's next write, for pages read far more often than written.

Every write appends to the audit chain, so the newest audit entry names the store's
state: an answer computed at that entry is still the answer while it is the newest,
up to the minute (what depends on the time of day moves at day boundaries, and a
minute bounds how stale the instant a page states can be). Keys are the caller's;
the kept answers are shared by every thread of the process and must not be mutated.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import Connection, func, select

from socialcredit.store.database import Store
from socialcredit.store.tables import audit_log

T = TypeVar("T")
KEEP = 4096
_KEPT: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
_LOCK = threading.Lock()


def last_write(conn: Connection) -> int:
    """The sequence number of the store's newest audit entry (0: none yet)."""
    return int(conn.execute(select(func.max(audit_log.c.seq))).scalar() or 0)


def state_key(store: Store) -> tuple[str, dt.datetime, int]:
    """The store's state as a cache key: its URL, the minute and its newest write."""
    now = store.clock.now().replace(second=0, microsecond=0)
    with store.reader() as conn:
        return (store.url, now, last_write(conn))


def kept(store: Store, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``'s answer for ``key``, computed once per state of the store."""
    full = (*state_key(store), key)
    with _LOCK:
        if full in _KEPT:
            _KEPT.move_to_end(full)
            found: T = _KEPT[full]
            return found
    answer = compute()
    with _LOCK:
        _KEPT[full] = answer
        while len(_KEPT) > KEEP:
            _KEPT.popitem(last=False)
    return answer


__all__ = ["KEEP", "kept", "last_write", "state_key"]
