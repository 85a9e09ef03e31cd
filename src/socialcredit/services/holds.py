"""A reviewer's release or rejection of what a hold quarantined, with everything it
re-derives, in one transaction (supervision/hold_decisions.py says what each does).

A release re-derives the list entries and the enforcement index of the subjects the
released records touch, with their notices, as ingestion would have; a rejection
appends its withdrawals through ingestion (no watcher: they are the platform's
decision, not the provider's feed), marking the records rejected in that transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import partial

from sqlalchemy import Connection

from socialcredit.enforcement.cache import notify
from socialcredit.ledger.ingest import Ingestor
from socialcredit.ledger.record import Record, record_id
from socialcredit.lookup.index import refresh_in, subjects_named
from socialcredit.services.ingest import index_hook, rederive, search_hook
from socialcredit.store.database import Store
from socialcredit.supervision.errors import HoldClosed
from socialcredit.supervision.hold_decisions import (
    Decision,
    Pending,
    check_reason,
    pending,
    reject_in,
    release_in,
    withdrawals,
)

_RETRIES = 5


def release(
    store: Store,
    hold: str,
    *,
    by: str,
    records: Sequence[str] | None = None,
    reason: str | None = None,
) -> Decision:
    """Release records of a hold (every record still held, ending the hold, when none
    are named): they count from now on."""
    now = store.clock.now()
    with store.writer() as conn:
        decision = release_in(conn, hold, records, by, reason, now)
        touched = [(r.subject, r.category, r.supersedes is not None) for r in decision.records]
        rederive(conn, touched, now)
        named = subjects_named(touched)
        if named:
            refresh_in(conn, named)
    notify(store.url)
    return decision


class _Stale(Exception):
    """Records were quarantined under the hold between reading it and rejecting."""


def reject(
    store: Store,
    hold: str,
    *,
    by: str,
    reason: str,
    records: Sequence[str] | None = None,
) -> Decision:
    """Reject records of a hold (every record still held, ending the hold, when none are
    named): each is withdrawn, citing the hold and ``reason``."""
    text = check_reason(reason, required=True)
    assert text is not None
    for _ in range(_RETRIES):
        with store.reader() as conn:
            items = pending(conn, hold, records)
        try:
            return _reject(store, hold, records, items, by, text)
        except _Stale:
            continue
    raise HoldClosed(f"hold {hold} kept changing while it was being rejected; try again")


def _reject(
    store: Store,
    hold: str,
    named: Sequence[str] | None,
    items: list[Pending],
    by: str,
    reason: str,
) -> Decision:
    rows = withdrawals(items, hold, reason)
    withdrawn_by = {
        item.id: record_id(row["provider"], row["ref"])
        for item, row in zip(items, rows, strict=True)
    }
    found: list[Decision] = []

    def mark(conn: Connection, _accepted: list[Record], now: dt.datetime) -> None:
        if named is None and {p.id for p in pending(conn, hold)} != set(withdrawn_by):
            raise _Stale
        found.append(reject_in(conn, hold, named, by, reason, now, withdrawn_by))

    if not rows:  # nothing left to withdraw: end the hold alone
        now = store.clock.now()
        with store.writer() as conn:
            mark(conn, [], now)
        return found[0]
    ledger = Ingestor(
        store,
        hooks=(mark, index_hook, search_hook),
        after_commit=(partial(notify, store.url),),
    )
    ledger.ingest_atomic(rows)
    return found[0]


__all__ = ["reject", "release"]
