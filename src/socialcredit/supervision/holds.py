"""Holds: a feed put on hold, the records it quarantines, and what reviewers see of them.

A hold is placed by the ingestion watcher (:mod:`socialcredit.supervision.monitor`) in
the transaction of the batch whose signals crossed the pack's thresholds; from that
batch on, the feed's records are stored in the ledger with a ``quarantine`` row and no
engine counts them (:mod:`socialcredit.engine.quarantine`) until a reviewer decides
(:mod:`socialcredit.supervision.hold_decisions`). Every step appends to the audit chain.
A hold's id is ``HOLD-<yyyymmdd>-<12 hex>``: the day it was placed and 48 random bits.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import Connection, and_, case, func, select

from socialcredit.clock import day_of
from socialcredit.ledger.record import Record
from socialcredit.store.bulk import db_datetime, insert_rows, stored_day, stored_instant
from socialcredit.store.chain import AuditWriter
from socialcredit.store.tables import feed_holds, quarantine, records
from socialcredit.supervision.feeds import Feed
from socialcredit.supervision.signals import Crossing

HOLD_PLACED = "hold.placed"
RECORD_HELD = "hold.record_held"


def new_hold_id(day: dt.date) -> str:
    return f"HOLD-{day:%Y%m%d}-{secrets.token_hex(6)}"


def open_holds(conn: Connection) -> dict[Feed, str]:
    """The hold in force on each feed that has one."""
    stmt = select(feed_holds.c.id, feed_holds.c.provider, feed_holds.c.category).where(
        feed_holds.c.ended_at.is_(None)
    )
    return {Feed(r.provider, r.category): r.id for r in conn.execute(stmt)}


def released_in(conn: Connection, feed: Feed, week: dt.date) -> bool:
    """Whether a reviewer released a hold the feed's signals of ``week`` placed: the week
    was judged sound, and its signals do not hold the feed again."""
    stmt = select(feed_holds.c.id).where(
        feed_holds.c.provider == feed.provider,
        feed_holds.c.category == feed.category,
        feed_holds.c.week == week,
        feed_holds.c.outcome == "released",
    )
    return conn.execute(stmt.limit(1)).first() is not None


def place(
    conn: Connection,
    audit: AuditWriter,
    feed: Feed,
    week: dt.date,
    crossed: Sequence[Crossing],
    now: dt.datetime,
) -> str:
    """Put a feed on hold for the thresholds its week crossed; return the hold's id."""
    hold = new_hold_id(day_of(now))
    signals = [c.to_dict() for c in crossed]
    conn.execute(
        feed_holds.insert().values(
            id=hold,
            provider=feed.provider,
            category=feed.category,
            week=week,
            placed_at=now,
            signals=orjson.dumps(signals).decode(),
        )
    )
    payload = {"provider": feed.provider, "category": feed.category, "week": week.isoformat()}
    audit.append(HOLD_PLACED, hold, {**payload, "signals": signals})
    return hold


def quarantine_records(
    conn: Connection, audit: AuditWriter, hold: str, held: Sequence[Record], now: dt.datetime
) -> None:
    """Quarantine records just appended under a hold."""
    stamp = db_datetime(conn, now)
    insert_rows(
        conn,
        "quarantine",
        ("record", "hold", "subject", "held_at"),
        [(r.id, hold, r.subject, stamp) for r in held],
    )
    for r in held:
        audit.append(RECORD_HELD, r.id, {"hold": hold, "record": r.id})


@dataclass(frozen=True)
class HoldView:
    """A hold as reviewers see it, with its records by state."""

    id: str
    provider: str
    category: str
    week: dt.date
    placed_at: dt.datetime
    signals: list[dict[str, Any]]
    ended_at: dt.datetime | None
    ended_by: str | None
    outcome: str | None
    held: int  # still held, waiting for a decision
    released: int
    rejected: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "provider": self.provider,
            "category": self.category,
            "week": self.week.isoformat(),
            "placed_at": self.placed_at.isoformat(),
            "signals": self.signals,
            "state": "open" if self.ended_at is None else self.outcome,
            "ended_at": None if self.ended_at is None else self.ended_at.isoformat(),
            "ended_by": self.ended_by,
            "records": {"held": self.held, "released": self.released, "rejected": self.rejected},
        }


def _counts() -> Any:
    released = quarantine.c.released_at.is_not(None)
    rejected = quarantine.c.rejected_at.is_not(None)
    return (
        select(
            quarantine.c.hold,
            func.sum(case((and_(~released, ~rejected), 1), else_=0)).label("held"),
            func.sum(case((released, 1), else_=0)).label("released"),
            func.sum(case((rejected, 1), else_=0)).label("rejected"),
        )
        .group_by(quarantine.c.hold)
        .subquery()
    )


def list_holds(conn: Connection, *, everything: bool = False) -> list[HoldView]:
    """The holds in force (``everything``: every hold ever placed), newest first."""
    counts = _counts()
    stmt = select(feed_holds, counts.c.held, counts.c.released, counts.c.rejected).select_from(
        feed_holds.outerjoin(counts, counts.c.hold == feed_holds.c.id)
    )
    if not everything:
        stmt = stmt.where(feed_holds.c.ended_at.is_(None))
    rows = conn.execute(stmt.order_by(feed_holds.c.placed_at.desc(), feed_holds.c.id))
    return [_view(r) for r in rows]


def get_hold(conn: Connection, hold: str) -> HoldView | None:
    counts = _counts()
    stmt = (
        select(feed_holds, counts.c.held, counts.c.released, counts.c.rejected)
        .select_from(feed_holds.outerjoin(counts, counts.c.hold == feed_holds.c.id))
        .where(feed_holds.c.id == hold)
    )
    row = conn.execute(stmt).first()
    return None if row is None else _view(row)


def _view(r: Any) -> HoldView:
    return HoldView(
        id=r.id,
        provider=r.provider,
        category=r.category,
        week=stored_day(r.week),
        placed_at=stored_instant(r.placed_at),
        signals=orjson.loads(r.signals),
        ended_at=None if r.ended_at is None else stored_instant(r.ended_at),
        ended_by=r.ended_by,
        outcome=r.outcome,
        held=int(r.held or 0),
        released=int(r.released or 0),
        rejected=int(r.rejected or 0),
    )


@dataclass(frozen=True)
class HeldRecord:
    """A record a hold quarantined, with its state."""

    hold: str
    id: str
    ref: str
    subject: str
    category: str
    occurred_at: dt.date
    held_at: dt.datetime
    state: str  # held | released | rejected
    decided_by: str | None
    reason: str | None
    withdrawal: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "hold": self.hold,
            "id": self.id,
            "ref": self.ref,
            "subject": self.subject,
            "category": self.category,
            "occurred_at": self.occurred_at.isoformat(),
            "held_at": self.held_at.isoformat(),
            "state": self.state,
            "decided_by": self.decided_by,
            "reason": self.reason,
            "withdrawal": self.withdrawal,
        }


def held_records(conn: Connection, holds: Iterable[str]) -> list[HeldRecord]:
    """The records of these holds, in ledger order."""
    wanted = sorted(set(holds))
    if not wanted:
        return []
    stmt = (
        select(
            quarantine,
            records.c.ref,
            records.c.category,
            records.c.occurred_at,
        )
        .select_from(quarantine.join(records, records.c.id == quarantine.c.record))
        .where(quarantine.c.hold.in_(wanted))
        .order_by(records.c.seq)
    )
    out = []
    for r in conn.execute(stmt):
        state = "released" if r.released_at else "rejected" if r.rejected_at else "held"
        out.append(
            HeldRecord(
                hold=r.hold,
                id=r.record,
                ref=r.ref,
                subject=r.subject,
                category=r.category,
                occurred_at=stored_day(r.occurred_at),
                held_at=stored_instant(r.held_at),
                state=state,
                decided_by=r.decided_by,
                reason=r.reason,
                withdrawal=r.withdrawal,
            )
        )
    return out


__all__ = [
    "HOLD_PLACED",
    "RECORD_HELD",
    "HeldRecord",
    "HoldView",
    "get_hold",
    "held_records",
    "list_holds",
    "new_hold_id",
    "open_holds",
    "place",
    "quarantine_records",
    "released_in",
]
