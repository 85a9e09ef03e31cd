"""Re-deriving every subject's record-based list entries and the enforcement index.

Ingestion re-derives the entries of the subjects a batch touches, in the batch's
transaction (:func:`socialcredit.services.ingest.index_hook`). An evaluation of
the present re-derives them for every subject the lists can concern, with the
same functions and the same notices, so that nothing depends on which record
happened to arrive last: records appended without the hook (a bulk load), a
pack activated after its records arrived, or anything else that left an entry
stale are put right, and a subject whose entries did not change gets no notice.

The subjects are those with a record of a category some list enters on or is
ended by, and those that hold a record-based entry now (so that one which no
longer holds is removed). They are processed in chunks, each in its own write transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Connection, select

from socialcredit.clock import naive_utc
from socialcredit.enforcement.index import owners, refresh_owners, today
from socialcredit.notices.changes import notify_changes, snapshot
from socialcredit.policy.policy_set import PolicySet
from socialcredit.store.database import Store
from socialcredit.store.tables import list_entries

CHUNK = 2000
Progress = Callable[[str, int], None]


@dataclass
class Rederived:
    subjects: int = 0  # subjects whose entries were re-derived
    entries: int = 0  # record-based entries they hold
    index_rows: int = 0
    notices: dict[str, int] = field(default_factory=dict)  # notices created, by kind

    def to_dict(self) -> dict[str, object]:
        return {
            "subjects": self.subjects,
            "entries": self.entries,
            "index_rows": self.index_rows,
            "notices": self.notices,
        }


def rederive(
    store: Store,
    policy: PolicySet,
    now: dt.datetime | None = None,
    progress: Progress | None = None,
) -> Rederived:
    """Re-derive every record-based entry and its index rows as at ``now`` (default: the
    store's clock), with the notices ingestion would have given."""
    now = naive_utc(store.clock.now() if now is None else now)
    day = today(now)
    result = Rederived()
    with store.reader() as conn:
        subjects = owners(conn, policy)
    for i in range(0, len(subjects), CHUNK):
        part = subjects[i : i + CHUNK]
        with store.writer() as conn:
            before = snapshot(conn, part, day)
            result.index_rows += refresh_owners(conn, policy, part, now)
            for notice in notify_changes(conn, policy, before, now):
                result.notices[notice.kind] = result.notices.get(notice.kind, 0) + 1
            result.entries += _count(conn, part, policy)
        result.subjects += len(part)
        if progress is not None:
            progress("list entries", result.subjects)
    return result


def _count(conn: Connection, subjects: list[str], policy: PolicySet) -> int:
    record_lists = [n for n, i in policy.lists.items() if i.definition.entry.categories]
    rows = conn.execute(
        select(list_entries.c.id).where(
            list_entries.c.subject.in_(subjects), list_entries.c.list.in_(record_lists)
        )
    )
    return len(rows.all())
