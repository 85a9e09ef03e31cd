"""Ingest-and-derive: the ingestor that keeps list entries, the enforcement index,
notices and the search index current, and watches the providers' feeds (statistics
and holds, supervision/monitor.py) before any of it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import partial

from sqlalchemy import Connection

from socialcredit.enforcement.cache import notify
from socialcredit.enforcement.index import owners_among, owners_touched, refresh_owners, today
from socialcredit.ledger.ingest import Ingestor
from socialcredit.ledger.policy_store import policy_at
from socialcredit.ledger.record import Record
from socialcredit.lookup.index import refresh_in, registered_forms, subjects_named
from socialcredit.lookup.text import remember
from socialcredit.notices.changes import notify_changes, snapshot
from socialcredit.store.database import Store
from socialcredit.supervision.monitor import Monitor

# what a record touches: its subject, its category and whether it supersedes another
Touched = tuple[str, str, bool]


def index_hook(conn: Connection, accepted: list[Record], now: dt.datetime) -> None:
    """Re-derive the list entries and index rows of the subjects these records touch,
    in the same transaction that appends them."""
    rederive(conn, ((r.subject, r.category, r.supersedes is not None) for r in accepted), now)


def rederive(conn: Connection, touched: Iterable[Touched], now: dt.datetime) -> None:
    """Re-derive the list entries and index rows of the subjects that records touch
    (records appended, or released from a hold), with their notices."""
    policy, _note = policy_at(conn, now)
    # only subjects that hold or can get a record-based entry: a registration alone
    # (most of a batch) changes no entry and no index row
    owners = owners_among(conn, policy, owners_touched(policy, touched))
    before = snapshot(conn, owners, today(now))  # notices: the entries as they were
    refresh_owners(conn, policy, owners, now)
    notify_changes(conn, policy, before, now)  # notices for what changed, same transaction


def search_hook(conn: Connection, accepted: list[Record], now: dt.datetime) -> None:
    """Re-index the names of the subjects whose registrations (or corrections) these
    records are, in the same transaction: a new enterprise is found at once."""
    named = subjects_named((r.subject, r.category, r.supersedes is not None) for r in accepted)
    if named:
        refresh_in(conn, named)


def ingestor(
    store: Store, *, provider: str | None = None, batch_size: int = 10_000, workers: int = 0
) -> Ingestor:
    """The ingestor the CLI, the API and the demo use: ledger plus enforcement index
    and search index (``workers``: processes that validate large files, see ledger/workers.py)."""
    return Ingestor(
        store,
        provider=provider,
        batch_size=batch_size,
        workers=workers,
        hooks=(index_hook, search_hook),
        after_commit=(partial(notify, store.url),),
        watchers=(Monitor(),),
        # the pinyin of registered names is worked out with validation (in the worker
        # processes of a large file), not under the write lock
        prepare=((registered_forms, remember),),
    )
