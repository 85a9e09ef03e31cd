"""The outbox: every notice delivered at least once to every configured channel.

A notice is queued in the same transaction that creates it, as one outbox
row with the channel ``''`` ("not yet fanned out"). :func:`deliver`

1. fans queued notices out to the channels it is given (one row per notice
   and channel, in one transaction; a channel configured later receives the
   notices created after it was first used, never the past ones);
2. sends every due row (not delivered, ``next_attempt_at <= now``), outside
   any transaction;
3. marks each success delivered (with an audit entry ``notice.delivered``)
   and each failure for a retry after an exponential backoff
   (``BACKOFF_BASE`` doubling up to ``BACKOFF_MAX``), keeping the error. A
   notice is never dropped: it is retried until a channel takes it.

**At least once, not exactly once.** A crash (or a lost connection) after a
channel accepted a notice and before the outbox row was marked leaves the
row due, and the next run sends the notice again. Channels carry the
notice id so that receivers can drop the duplicate.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import delete, func, select, update

from socialcredit.audit.chain import AuditWriter
from socialcredit.engine.incremental import naive_utc
from socialcredit.ledger.bulk import db_datetime, insert_rows
from socialcredit.ledger.store import Store
from socialcredit.ledger.tables import outbox
from socialcredit.remedies.channels import Channel
from socialcredit.remedies.notices import FANOUT, load_notices

BACKOFF_BASE = dt.timedelta(minutes=1)
BACKOFF_MAX = dt.timedelta(hours=6)
DELIVERED_EVENT = "notice.delivered"
MAX_ERROR = 1000


@dataclass
class DeliveryResult:
    fanned_out: int = 0  # (notice, channel) rows queued by this run
    delivered: int = 0
    failed: int = 0
    pending: int = 0  # rows still undelivered after this run (including not yet due)
    errors: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "fanned_out": self.fanned_out,
            "delivered": self.delivered,
            "failed": self.failed,
            "pending": self.pending,
            "errors": self.errors,
        }


def backoff(attempts: int) -> dt.timedelta:
    """How long to wait before the next attempt after ``attempts`` failed ones."""
    wait: dt.timedelta = BACKOFF_BASE * (2 ** max(attempts - 1, 0))
    return min(wait, BACKOFF_MAX)


def fan_out(store: Store, channels: Sequence[str], now: dt.datetime) -> int:
    if not channels:
        return 0
    with store.writer() as conn:
        ids = [
            r.notice
            for r in conn.execute(select(outbox.c.notice).where(outbox.c.channel == FANOUT))
        ]
        if not ids:
            return 0
        at = db_datetime(conn, now)
        insert_rows(
            conn,
            "outbox",
            ("notice", "channel", "attempts", "next_attempt_at", "delivered_at", "last_error"),
            [(n, c, 0, at, None, None) for n in ids for c in channels],
        )
        conn.execute(delete(outbox).where(outbox.c.channel == FANOUT))
    return len(ids) * len(channels)


def deliver(
    store: Store,
    channels: Sequence[Channel],
    now: dt.datetime | None = None,
    *,
    limit: int = 10_000,
) -> DeliveryResult:
    """Send the due outbox rows to their channels; see the module docstring."""
    now = naive_utc(store.clock.now() if now is None else now)
    by_name = {c.name: c for c in channels}
    result = DeliveryResult(fanned_out=fan_out(store, list(by_name), now))
    if by_name:
        with store.reader() as conn:
            due = conn.execute(
                select(outbox.c.notice, outbox.c.channel, outbox.c.attempts)
                .where(
                    outbox.c.channel.in_(sorted(by_name)),
                    outbox.c.delivered_at.is_(None),
                    outbox.c.next_attempt_at <= now,
                )
                .order_by(outbox.c.next_attempt_at, outbox.c.notice, outbox.c.channel)
                .limit(limit)
            ).all()
            found = load_notices(conn, sorted({r.notice for r in due}))
        for row in due:
            notice = found.get(row.notice)
            if notice is None:
                continue
            try:
                by_name[row.channel].send(notice)
            except Exception as exc:  # any channel failure: keep the notice, retry later
                error = f"{type(exc).__name__}: {exc}"[:MAX_ERROR]
                _mark_failed(store, row.notice, row.channel, row.attempts + 1, error, now)
                result.failed += 1
                result.errors.append(f"{row.channel} {row.notice[:12]}: {error}")
            else:
                _mark_delivered(store, row.notice, row.channel, row.attempts + 1, now)
                result.delivered += 1
    with store.reader() as conn:
        result.pending = int(
            conn.execute(
                select(func.count()).select_from(outbox).where(outbox.c.delivered_at.is_(None))
            ).scalar()
            or 0
        )
    return result


def _mark_delivered(
    store: Store, notice: str, channel: str, attempts: int, now: dt.datetime
) -> None:
    with store.writer() as conn, AuditWriter(conn, now) as audit:
        conn.execute(
            update(outbox)
            .where(outbox.c.notice == notice, outbox.c.channel == channel)
            .values(attempts=attempts, delivered_at=now, last_error=None)
        )
        audit.append(
            DELIVERED_EVENT,
            notice,
            {"notice": notice, "channel": channel, "attempt": attempts, "at": now.isoformat()},
        )


def _mark_failed(
    store: Store, notice: str, channel: str, attempts: int, error: str, now: dt.datetime
) -> None:
    with store.writer() as conn:
        conn.execute(
            update(outbox)
            .where(outbox.c.notice == notice, outbox.c.channel == channel)
            .values(attempts=attempts, last_error=error, next_attempt_at=now + backoff(attempts))
        )
