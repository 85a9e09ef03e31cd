"""A reviewer's decision on what a hold quarantined: release or reject.

* **release** -- the records count from now on (the engines read a released record as
  if recorded at its release: :mod:`socialcredit.engine.quarantine`), with notices as
  for any record that arrives then;
* **reject** -- each record is withdrawn by the ordinary ``supersedes`` path: a
  withdrawal in the name of the provider that reported it, whose ``legal_basis`` gives
  the hold and the reason; the record stays in the ledger, never counted.

A decision names records of the hold, or none: then it takes every record still held
and ends the hold (the feed's new records are no longer held; a release also keeps the
week's signals from holding the feed again). Each record's decision and the end of
the hold are entries of the audit chain, written in the decision's transaction; the
caller re-derives what the records touch in that same transaction
(:mod:`socialcredit.services.holds`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Connection, select, update

from socialcredit.errors import Malformed, NotFound
from socialcredit.store.bulk import stored_day
from socialcredit.store.chain import AuditWriter
from socialcredit.store.tables import feed_holds, quarantine, records
from socialcredit.supervision.errors import HoldClosed, NotHeld
from socialcredit.supervision.holds import get_hold

Outcome = Literal["released", "rejected"]
RECORD_RELEASED = "hold.record_released"
RECORD_REJECTED = "hold.record_rejected"
HOLD_ENDED = "hold.ended"
MAX_REASON = 1000


@dataclass(frozen=True)
class Pending:
    """A record still held, as a decision needs it."""

    id: str
    provider: str
    ref: str
    subject: str
    category: str
    occurred_at: dt.date
    supersedes: str | None


@dataclass(frozen=True)
class Decision:
    hold: str
    outcome: Outcome
    records: tuple[Pending, ...]
    ended: bool  # the decision ended the hold

    def to_dict(self) -> dict[str, Any]:
        return {
            "hold": self.hold,
            "outcome": self.outcome,
            "records": [r.id for r in self.records],
            "ended": self.ended,
        }


def pending(conn: Connection, hold: str, named: Sequence[str] | None = None) -> list[Pending]:
    """The records a decision on ``hold`` takes: those ``named`` (each of the hold and
    still held), else every record it still holds. Refuses a hold that has ended."""
    view = get_hold(conn, hold)
    if view is None:
        raise NotFound(f"no hold {hold!r}", field="hold")
    if view.ended_at is not None:
        raise HoldClosed(f"hold {hold} was {view.outcome} on {view.ended_at:%Y-%m-%d}")
    stmt = (
        select(
            quarantine.c.record,
            quarantine.c.released_at,
            quarantine.c.rejected_at,
            records.c.provider,
            records.c.ref,
            records.c.subject,
            records.c.category,
            records.c.occurred_at,
            records.c.supersedes,
        )
        .select_from(quarantine.join(records, records.c.id == quarantine.c.record))
        .where(quarantine.c.hold == hold)
        .order_by(records.c.seq)
    )
    rows = {r.record: r for r in conn.execute(stmt)}
    if named is not None:
        for rid in named:
            row = rows.get(rid)
            if row is None:
                raise NotFound(f"hold {hold} holds no record {rid!r}", field="records")
            if row.released_at is not None or row.rejected_at is not None:
                state = "released" if row.released_at is not None else "rejected"
                raise NotHeld(f"record {rid} of hold {hold} was already {state}", field="records")
    wanted = set(named) if named is not None else set(rows)
    return [
        Pending(
            r.record,
            r.provider,
            r.ref,
            r.subject,
            r.category,
            stored_day(r.occurred_at),
            r.supersedes,
        )
        for r in rows.values()
        if r.record in wanted and r.released_at is None and r.rejected_at is None
    ]


def check_reason(reason: str | None, required: bool) -> str | None:
    text = (reason or "").strip()
    if required and not text:
        raise Malformed("a rejection gives its reason", field="reason")
    if len(text) > MAX_REASON:
        raise Malformed(f"a reason of at most {MAX_REASON} characters", field="reason")
    return text or None


def release_in(
    conn: Connection,
    hold: str,
    named: Sequence[str] | None,
    by: str,
    reason: str | None,
    now: dt.datetime,
) -> Decision:
    """Release records of a hold (all of them, ending it, when none are named)."""
    reason = check_reason(reason, required=False)
    items = pending(conn, hold, named)
    with AuditWriter(conn, now) as audit:
        for item in items:
            conn.execute(
                update(quarantine)
                .where(quarantine.c.record == item.id)
                .values(released_at=now, decided_by=by, reason=reason)
            )
            audit.append(RECORD_RELEASED, item.id, {"hold": hold, "by": by, "reason": reason})
        if named is None:
            _end(conn, audit, hold, "released", by, now)
    return Decision(hold, "released", tuple(items), named is None)


def withdrawals(items: Sequence[Pending], hold: str, reason: str) -> list[dict[str, Any]]:
    """The withdrawals that reject ``items``, as ingestion takes them: in the name of the
    provider that reported each, superseding it, citing the hold and the reason."""
    return [
        {
            "provider": item.provider,
            "ref": f"{hold}/rejected/{item.id}",
            "subject": item.subject,
            "category": item.category,
            "occurred_at": item.occurred_at.isoformat(),
            "supersedes": item.ref,
            "withdrawn": True,
            "legal_basis": f"rejected under hold {hold}: {reason}",
        }
        for item in items
    ]


def reject_in(
    conn: Connection,
    hold: str,
    named: Sequence[str] | None,
    by: str,
    reason: str,
    now: dt.datetime,
    withdrawn_by: Mapping[str, str],
) -> Decision:
    """Mark records of a hold rejected (all of them, ending it, when none are named);
    ``withdrawn_by``: each record's withdrawal, appended in the same transaction."""
    items = pending(conn, hold, named)
    with AuditWriter(conn, now) as audit:
        for item in items:
            withdrawal = withdrawn_by[item.id]
            conn.execute(
                update(quarantine)
                .where(quarantine.c.record == item.id)
                .values(rejected_at=now, decided_by=by, reason=reason, withdrawal=withdrawal)
            )
            payload = {"hold": hold, "by": by, "reason": reason, "withdrawal": withdrawal}
            audit.append(RECORD_REJECTED, item.id, payload)
        if named is None:
            _end(conn, audit, hold, "rejected", by, now)
    return Decision(hold, "rejected", tuple(items), named is None)


def _end(
    conn: Connection, audit: AuditWriter, hold: str, outcome: Outcome, by: str, now: dt.datetime
) -> None:
    conn.execute(
        update(feed_holds)
        .where(feed_holds.c.id == hold)
        .values(ended_at=now, ended_by=by, outcome=outcome)
    )
    audit.append(HOLD_ENDED, hold, {"outcome": outcome, "by": by})


__all__ = [
    "HOLD_ENDED",
    "MAX_REASON",
    "RECORD_REJECTED",
    "RECORD_RELEASED",
    "Decision",
    "Pending",
    "check_reason",
    "pending",
    "reject_in",
    "release_in",
    "withdrawals",
]
