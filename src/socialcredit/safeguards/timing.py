"""The ``timing`` check: no entry takes effect before its list existed or its ground was known.

* The list: an entry may take effect no earlier than the day (China time) a
  version of its pack that defines its list was first activated
  (``activations``): a pack activated today cannot have listed anyone last year.
* The ground: the notice period runs from the day the platform learnt of the
  ground record (``recorded_at`` of the earliest version in its chain of
  corrections, as :mod:`socialcredit.enforcement.entries` derives it), so an
  entry's ``pending_from`` is never before it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import Connection, select

from socialcredit.clock import day_of
from socialcredit.enforcement.model import ListEntry
from socialcredit.errors import PolicyError
from socialcredit.ledger.policy_store import load_version
from socialcredit.safeguards.findings import Checked, found, passed
from socialcredit.store.bulk import select_in, stored_instant
from socialcredit.store.tables import activations


def list_since(conn: Connection, now: dt.datetime) -> dict[tuple[str, str], dt.date]:
    """(pack, list) -> the first day a version of the pack defining the list was active."""
    out: dict[tuple[str, str], dt.date] = {}
    rows = conn.execute(
        select(activations.c.pack, activations.c.digest, activations.c.activated_at)
        .where(activations.c.action == "activate", activations.c.activated_at <= now)
        .order_by(activations.c.seq)
    )
    for pack, digest, at in rows:
        try:
            lists = load_version(conn, digest).lists
        except PolicyError:
            continue  # the lint check reports a version that does not load
        day = day_of(stored_instant(at))
        for name in lists:
            out.setdefault((pack, name), day)
    return out


def known_days(conn: Connection, ground_ids: Iterable[str]) -> dict[str, dt.date]:
    """Each ground record's day of first knowledge: the earliest ``recorded_at`` along its
    chain of corrections (``supersedes``)."""
    info: dict[str, tuple[dt.datetime, str | None]] = {}
    wanted = set(ground_ids)
    while wanted:
        rows = select_in(conn, "records", ("id", "recorded_at", "supersedes"), "id", wanted)
        for rid, recorded_at, supersedes in rows:
            info[rid] = (stored_instant(recorded_at), supersedes)
        wanted = {s for _, s in (info[r[0]] for r in rows) if s and s not in info}
    out: dict[str, dt.date] = {}
    for rid in ground_ids:
        seen, current, first = set(), rid, None
        while current in info and current not in seen:
            seen.add(current)
            at, current_prior = info[current]
            first = at if first is None or at < first else first
            current = current_prior or ""
        if first is not None:
            out[rid] = day_of(first)
    return out


def check_timing(
    entry: ListEntry, since: dict[tuple[str, str], dt.date], known: dict[str, dt.date]
) -> Checked:
    first = since.get((entry.pack, entry.list))
    if first is None:
        return found(
            "timing",
            entry.id,
            entry.subject,
            f"list {entry.list} of pack {entry.pack} was never activated",
            "remove the entry: re-derive (`socialcredit evaluate`)",
        )
    if entry.effective_from < first:
        return found(
            "timing",
            entry.id,
            entry.subject,
            f"took effect on {entry.effective_from.isoformat()}, before list {entry.list} of "
            f"pack {entry.pack} was first activated on {first.isoformat()}",
        )
    if entry.ground_record is not None:
        day = known.get(entry.ground_record)
        if day is not None and entry.pending_from < day:
            return found(
                "timing",
                entry.id,
                entry.subject,
                f"its notice period ran from {entry.pending_from.isoformat()}, before the "
                f"platform knew its ground record {entry.ground_record} "
                f"(recorded {day.isoformat()})",
            )
    return passed("timing")
