"""The delivery check of the safeguards audit: was the listing's notice delivered in time?

A notice reaches its recipient when a recipient channel delivers it -- e-mail,
text message or letter to a consented address, or the platform mailbox for a
recipient without one (:mod:`socialcredit.notices.outbox`); the JSONL feed does
not count. A black-list entry's deadline is the day it takes effect: the
listing notice to the subject must be delivered before that day, or -- for a
list with a lawful zero notice period -- on it. An entry whose deadline has
not come is not late yet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from sqlalchemy import Connection

from socialcredit.clock import CHINA
from socialcredit.enforcement.model import ListEntry
from socialcredit.policy.lists import ListDef
from socialcredit.store.bulk import select_in, stored_instant

RECIPIENT_CHANNELS = frozenset({"smtp", "sms", "post", "mailbox"})
LISTING_NOTICES = ("listing_pending", "listing_effective")


def first_deliveries(conn: Connection, notices: Iterable[str]) -> dict[str, dt.datetime]:
    """The first delivery to its recipient of each notice delivered (UTC, naive)."""
    out: dict[str, dt.datetime] = {}
    for notice, channel, delivered_at in select_in(
        conn, "outbox", ("notice", "channel", "delivered_at"), "notice", notices
    ):
        if channel not in RECIPIENT_CHANNELS or delivered_at is None:
            continue
        at = stored_instant(delivered_at)
        if notice not in out or at < out[notice]:
            out[notice] = at
    return out


def deadline(entry: ListEntry, ld: ListDef | None) -> tuple[dt.date, bool]:
    """The day the notice is due by, and whether delivery on that day still counts
    (a lawful zero notice period)."""
    zero = ld is not None and ld.notice_days == 0 and bool(ld.zero_notice_basis)
    return entry.effective_from, zero


def delivery_problem(
    entry: ListEntry,
    ld: ListDef | None,
    notices: Iterable[tuple[str, str, str, dt.date]],
    delivered: Mapping[str, dt.datetime],
    today: dt.date,
) -> str | None:
    """Why the entry's listing notice was not delivered in time, or None.

    ``notices`` are ``(id, kind, recipient, effective_on)`` of the notices about the
    entry."""
    due, same_day = deadline(entry, ld)
    ours = [
        n
        for n, kind, recipient, effective_on in notices
        if kind in LISTING_NOTICES
        and recipient == entry.subject
        and effective_on == entry.effective_from
    ]
    if not ours:
        return None  # no notice at all: the notice check reports it
    times = [delivered[n] for n in ours if n in delivered]
    if not times:
        if today > due or (today == due and not same_day):
            return f"the listing notice was not delivered by {due.isoformat()}, when it took effect"
        return None  # not due yet
    day = min(times).replace(tzinfo=dt.UTC).astimezone(CHINA).date()
    if day > due or (day == due and not same_day):
        return (
            f"the listing notice was delivered on {day.isoformat()}, not before the listing "
            f"took effect on {due.isoformat()}"
        )
    return None


__all__ = ["RECIPIENT_CHANNELS", "deadline", "delivery_problem", "first_deliveries"]
