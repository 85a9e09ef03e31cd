"""The outbox: every notice delivered at least once, to where its recipient agreed.

A notice is queued in the same transaction that creates it, as one outbox
row with the channel ``''`` ("not yet fanned out"). :func:`deliver`

1. fans queued notices out to the channels it is given, in one transaction:
   one row per feed channel (``jsonl``), and one per recipient channel
   (``smtp``, ``sms``, ``post``) whose contact the recipient consented to, with
   that address (:mod:`socialcredit.notices.contacts`). A recipient with no
   usable contact on a configured channel gets the notice in the platform
   mailbox: a ``mailbox`` row, delivered at once (the recipient reads it with
   ``socialcredit notices list`` or ``GET /v1/notices``). A channel configured later
   receives the notices created after it was first used, never the past ones;
   with no channel at all, notices stay queued;
2. sends every due row (not delivered, ``next_attempt_at <= now``), in
   batches of ``limit``, until none is left, outside any transaction;
3. marks each batch's successes delivered (with an audit entry
   ``notice.delivered`` each) and its failures for a retry after an
   exponential backoff (``BACKOFF_BASE`` doubling up to ``BACKOFF_MAX``),
   keeping the error, in one transaction per batch. A notice is never dropped:
   it is retried until a channel takes it.

**At least once, not exactly once.** A crash (or a lost connection) after a
channel accepted a notice and before the outbox row was marked leaves the
row due, and the next run sends the notice again. Channels carry the
notice id so that receivers can drop the duplicate.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import bindparam, delete, func, select, update

from socialcredit.clock import naive_utc
from socialcredit.notices.channels import Channel
from socialcredit.notices.contacts import consented_contacts
from socialcredit.notices.model import FANOUT, load_notices
from socialcredit.store.bulk import db_datetime, insert_rows, select_in
from socialcredit.store.chain import AuditWriter
from socialcredit.store.database import Store
from socialcredit.store.tables import outbox

BACKOFF_BASE = dt.timedelta(minutes=1)
BACKOFF_MAX = dt.timedelta(hours=6)
DELIVERED_EVENT = "notice.delivered"
MAILBOX = "mailbox"  # the platform mailbox: delivered when fanned out
MAX_ERROR = 1000
_COLUMNS = (
    "notice",
    "channel",
    "attempts",
    "next_attempt_at",
    "delivered_at",
    "last_error",
    "address",
)


@dataclass
class DeliveryResult:
    fanned_out: int = 0  # (notice, channel) rows queued by this run
    delivered: int = 0  # sent by a channel in this run
    mailbox: int = 0  # placed in the platform mailbox in this run (no consented contact)
    failed: int = 0
    pending: int = 0  # rows still undelivered after this run (including not yet due)
    by_channel: dict[str, int] = field(default_factory=dict)  # delivered, by channel
    errors: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "fanned_out": self.fanned_out,
            "delivered": self.delivered,
            "mailbox": self.mailbox,
            "failed": self.failed,
            "pending": self.pending,
            "by_channel": self.by_channel,
            "errors": self.errors,
        }


def backoff(attempts: int) -> dt.timedelta:
    """How long to wait before the next attempt after ``attempts`` failed ones."""
    wait: dt.timedelta = BACKOFF_BASE * (2 ** max(attempts - 1, 0))
    return min(wait, BACKOFF_MAX)


def fan_out(store: Store, channels: Sequence[Channel], now: dt.datetime) -> tuple[int, int]:
    """Queue the waiting notices on the channels (see the module docstring); return the
    rows queued and the notices placed in the platform mailbox."""
    if not channels:
        return 0, 0
    feeds = [c.name for c in channels if c.contact is None]
    reach = {c.contact: c.name for c in channels if c.contact is not None}
    with store.writer() as conn:
        ids = [
            r.notice
            for r in conn.execute(select(outbox.c.notice).where(outbox.c.channel == FANOUT))
        ]
        if not ids:
            return 0, 0
        recipient = {r[0]: r[1] for r in select_in(conn, "notices", ("id", "recipient"), "id", ids)}
        contacts = consented_contacts(conn, set(recipient.values()), now) if reach else {}
        at = db_datetime(conn, now)
        rows: list[tuple[object, ...]] = []
        boxed: list[str] = []
        for notice in ids:
            rows.extend((notice, name, 0, at, None, None, None) for name in feeds)
            found = [c for c in contacts.get(recipient.get(notice, ""), []) if c.channel in reach]
            rows.extend((notice, reach[c.channel], 0, at, None, None, c.address) for c in found)
            if not found:
                rows.append((notice, MAILBOX, 1, at, at, None, None))
                boxed.append(notice)
        insert_rows(conn, "outbox", _COLUMNS, rows)
        conn.execute(delete(outbox).where(outbox.c.channel == FANOUT))
        with AuditWriter(conn, now) as audit:
            for notice in boxed:
                audit.append(DELIVERED_EVENT, notice, _event(notice, MAILBOX, 1, now))
    return len(rows), len(boxed)


def deliver(
    store: Store,
    channels: Sequence[Channel],
    now: dt.datetime | None = None,
    *,
    limit: int = 2_000,
) -> DeliveryResult:
    """Send every due outbox row to its channel, ``limit`` at a time; see the module
    docstring."""
    now = naive_utc(store.clock.now() if now is None else now)
    by_name = {c.name: c for c in channels}
    result = DeliveryResult()
    result.fanned_out, result.mailbox = fan_out(store, channels, now)
    try:
        while by_name:
            with store.reader() as conn:
                due = conn.execute(
                    select(outbox.c.notice, outbox.c.channel, outbox.c.attempts, outbox.c.address)
                    .where(
                        outbox.c.channel.in_(sorted(by_name)),
                        outbox.c.delivered_at.is_(None),
                        outbox.c.next_attempt_at <= now,
                    )
                    .order_by(outbox.c.next_attempt_at, outbox.c.notice, outbox.c.channel)
                    .limit(limit)
                ).all()
                found = load_notices(conn, sorted({r.notice for r in due}))
            if not due:
                break
            sent: list[tuple[str, str, int]] = []
            failed: list[tuple[str, str, int, str]] = []
            for row in due:
                notice = found.get(row.notice)
                if notice is None:
                    continue
                try:
                    by_name[row.channel].send(notice, row.address)
                except Exception as exc:  # any channel failure: keep the notice, retry later
                    error = f"{type(exc).__name__}: {exc}"[:MAX_ERROR]
                    failed.append((row.notice, row.channel, row.attempts + 1, error))
                    result.errors.append(f"{row.channel} {row.notice[:12]}: {error}")
                else:
                    sent.append((row.notice, row.channel, row.attempts + 1))
                    result.by_channel[row.channel] = result.by_channel.get(row.channel, 0) + 1
            sent = _flushed(by_name, sent, failed, result)
            _mark(store, sent, failed, now)
            result.delivered += len(sent)
            result.failed += len(failed)
            if len(due) < limit:
                break
    finally:
        for channel in channels:
            channel.close()
    with store.reader() as conn:
        result.pending = int(
            conn.execute(
                select(func.count()).select_from(outbox).where(outbox.c.delivered_at.is_(None))
            ).scalar()
            or 0
        )
    return result


def _flushed(
    by_name: dict[str, Channel],
    sent: list[tuple[str, str, int]],
    failed: list[tuple[str, str, int, str]],
    result: DeliveryResult,
) -> list[tuple[str, str, int]]:
    """Make a batch durable on each channel it went to; what a channel cannot flush is
    failed (retried later), never recorded as delivered."""
    kept = sent
    for name in sorted({channel for _, channel, _ in sent}):
        try:
            by_name[name].flush()
        except Exception as exc:  # the channel lost what it was given: retry it
            error = f"{type(exc).__name__}: {exc}"[:MAX_ERROR]
            lost = [row for row in kept if row[1] == name]
            kept = [row for row in kept if row[1] != name]
            failed.extend((n, c, a, error) for n, c, a in lost)
            result.by_channel[name] -= len(lost)
            result.errors.append(f"{name}: {error}")
    return kept


def _event(notice: str, channel: str, attempt: int, now: dt.datetime) -> dict[str, object]:
    return {"notice": notice, "channel": channel, "attempt": attempt, "at": now.isoformat()}


def _mark(
    store: Store,
    sent: list[tuple[str, str, int]],
    failed: list[tuple[str, str, int, str]],
    now: dt.datetime,
) -> None:
    """Record one batch: deliveries (audited) and failures (retried after a backoff)."""
    if not sent and not failed:
        return
    with store.writer() as conn, AuditWriter(conn, now) as audit:
        if sent:
            conn.execute(
                _by_row.values(attempts=bindparam("a"), delivered_at=now, last_error=None),
                [{"n": n, "c": c, "a": a} for n, c, a in sent],
            )
        for notice, channel, attempts in sent:
            audit.append(DELIVERED_EVENT, notice, _event(notice, channel, attempts, now))
        if failed:
            conn.execute(
                _by_row.values(
                    attempts=bindparam("a"),
                    last_error=bindparam("e"),
                    next_attempt_at=bindparam("t"),
                ),
                [{"n": n, "c": c, "a": a, "e": e, "t": now + backoff(a)} for n, c, a, e in failed],
            )


# one outbox row, named by executemany parameters (a statement for a whole batch)
_by_row = update(outbox).where(
    outbox.c.notice == bindparam("n"), outbox.c.channel == bindparam("c")
)
