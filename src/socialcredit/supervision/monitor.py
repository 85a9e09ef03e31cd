"""The ingestion watcher: feed statistics kept as records arrive, and holds placed.

Run in the write transaction of every batch (``Ingestor(watchers=...)``, wired by
:mod:`socialcredit.services.ingest`), before the hooks that re-derive list entries and
the enforcement index. For each feed the batch touched it adds the batch to the
week's row of ``feed_weeks``; judges the week against the feed's history (bands of
the past weeks, read once a week per feed and kept); puts a feed whose week crosses
a threshold of the pack on hold; and quarantines the batch's records of every feed on
hold -- so that the hooks after it, and every engine, never count them.

The platform's own feeds (providers ``platform.*``: remedy steps, contacts) are not
watched; a remedy step deciding an objection counts on the feed of the record
objected to. What a batch with a remedy step carries out (the provider's correction or
withdrawal of a record objected to) is never held: a reviewer has seen it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import orjson
from sqlalchemy import Connection, select

from socialcredit.clock import day_of
from socialcredit.ledger.ingest import Arrivals
from socialcredit.ledger.policy_store import policy_at
from socialcredit.ledger.record import Record, record_id
from socialcredit.policy.catalogue import Catalogue
from socialcredit.policy.holds import HoldSettings
from socialcredit.policy.policy_set import PolicySet
from socialcredit.store.bulk import select_in
from socialcredit.store.chain import AuditWriter
from socialcredit.store.tables import providers
from socialcredit.supervision.feeds import Feed, Tally, first_weeks, read_weeks, week_of, write_week
from socialcredit.supervision.holds import open_holds, place, quarantine_records, released_in
from socialcredit.supervision.signals import (
    NO_HISTORY,
    WEEK,
    Crossing,
    History,
    WeekSignals,
    could_cross,
    crossings,
    history_of,
)

PLATFORM_PREFIX = "platform."
REMEDY_PROVIDER = "platform.remedies"
OBJECTION_DECIDED = "remedy.objection_decided"
UPHELD = ("corrected", "withdrawn")  # the objection was right: the record did not stand
DEFAULT = HoldSettings()  # what is counted (late, amounts) when no pack says


def settings_of(policy: PolicySet) -> HoldSettings | None:
    """The active packs' settings for the supervision of providers (the first pack that
    has a ``holds.yaml``), or None."""
    return next((p.holds for p in policy.packs if p.holds is not None), None)


class Monitor:
    """One ingestor's watcher (it keeps the feeds' history bands of the current week)."""

    def __init__(self) -> None:
        self._key: tuple[dt.date, int] | None = None
        self._history: dict[Feed, History] = {}
        self._amount_attr: dict[tuple[int, str], str | None] = {}
        self._first: dict[Feed, dt.date] = {}  # a feed's first week never changes
        self._past_rows: dict[Feed, dict[dt.date, Tally]] = {}  # rows of weeks that are over
        self._read_until: dict[Feed, dt.date] = {}  # the last week of them read, by feed
        self._past_until: dt.date | None = None
        self._providers: frozenset[str] = frozenset()

    def __call__(self, conn: Connection, arrivals: Arrivals, now: dt.datetime) -> None:
        policy, _note = policy_at(conn, now)
        settings = settings_of(policy)
        week = week_of(now)
        tallies, appended = self._tally(conn, arrivals, policy, settings or DEFAULT, day_of(now))
        if not tallies:
            return
        current = read_weeks(conn, tallies, week, week)
        merged: dict[Feed, Tally] = {}
        for feed, tally in tallies.items():
            row = current[feed].get(week) or Tally()
            row.add(tally)
            merged[feed] = row
        on_hold = open_holds(conn)
        placed: list[tuple[Feed, list[Crossing]]] = []
        if settings is not None:
            for feed in self._judged(conn, merged, on_hold, policy.catalogue, settings, week):
                crossed = crossings(WeekSignals(week, merged[feed], self._history[feed]), settings)
                if crossed and not released_in(conn, feed, week):
                    placed.append((feed, crossed))
        holding = set(on_hold) | {f for f, _ in placed}
        if any(r.provider == REMEDY_PROVIDER for r in arrivals.accepted):
            holding = set()  # a correction an objection or appeal carries out is reviewed
        held = {
            f: [r for r in recs if not r.withdrawn]  # a withdrawal always counts
            for f, recs in appended.items()
            if f in holding
        }
        if placed or any(held.values()):
            with AuditWriter(conn, now) as audit:
                for feed, crossed in placed:
                    on_hold[feed] = place(conn, audit, feed, week, crossed, now)
                for feed, recs in held.items():
                    if recs:
                        quarantine_records(conn, audit, on_hold[feed], recs, now)
                        merged[feed].held += len(recs)
        write_week(conn, week, merged, {f for f in merged if week not in current[f]})

    # -- the counts of one batch ---------------------------------------------------------
    def _tally(
        self,
        conn: Connection,
        arrivals: Arrivals,
        policy: PolicySet,
        settings: HoldSettings,
        day: dt.date,
    ) -> tuple[dict[Feed, Tally], dict[Feed, list[Record]]]:
        catalogue = policy.catalogue
        tallies: dict[Feed, Tally] = {}
        appended: dict[Feed, list[Record]] = {}
        decided: list[Record] = []
        late = day - dt.timedelta(days=settings.late_days)  # occurred before it: late
        for rec in arrivals.accepted:
            if rec.provider.startswith(PLATFORM_PREFIX):
                if rec.category == OBJECTION_DECIDED and rec.provider == REMEDY_PROVIDER:
                    decided.append(rec)
                continue
            feed = Feed(rec.provider, rec.category)
            t = tallies.get(feed)
            if t is None:
                t = tallies[feed] = Tally()
                appended[feed] = []
            appended[feed].append(rec)
            t.received += 1
            if rec.occurred_at < late:
                t.late += 1
            if rec.withdrawn:
                t.withdrawals += 1
                continue
            if rec.supersedes is not None:
                t.corrections += 1
            attr = self._amount_of(catalogue, rec.category, settings)
            if attr is not None and f'"{attr}":' in rec.attributes:
                value = orjson.loads(rec.attributes).get(attr)
                if isinstance(value, int | float) and not isinstance(value, bool):
                    t.amount(float(value))
        for rec in arrivals.duplicates:
            if not rec.provider.startswith(PLATFORM_PREFIX):
                tallies.setdefault(Feed(rec.provider, rec.category), Tally()).duplicates += 1
        if arrivals.refused:
            known = self._registered(conn, (p for p, _c, _code in arrivals.refused))
            for provider, category, code in arrivals.refused:
                if provider in known and not provider.startswith(PLATFORM_PREFIX):
                    feed = Feed(provider, category if category in catalogue else "")
                    tallies.setdefault(feed, Tally()).refuse(code)
        for feed, upheld in _objections(conn, decided):
            t = tallies.setdefault(feed, Tally())
            t.objections += 1
            t.upheld += int(upheld)
        return tallies, appended

    def _amount_of(self, catalogue: Catalogue, category: str, settings: HoldSettings) -> str | None:
        key = (id(catalogue), category)
        if key not in self._amount_attr:
            spec = catalogue[category].attributes if category in catalogue else {}
            self._amount_attr[key] = next(
                (
                    a
                    for a in settings.amount_attributes
                    if a in spec and spec[a].type in ("number", "integer")
                ),
                None,
            )
        return self._amount_attr[key]

    def _registered(self, conn: Connection, named: Iterable[str]) -> frozenset[str]:
        if not set(named) <= self._providers:
            self._providers = frozenset(conn.execute(select(providers.c.id)).scalars())
        return self._providers

    # -- judging the week --------------------------------------------------------------
    def _judged(
        self,
        conn: Connection,
        merged: dict[Feed, Tally],
        on_hold: dict[Feed, str],
        catalogue: Catalogue,
        settings: HoldSettings,
        week: dt.date,
    ) -> list[Feed]:
        """The feeds of the batch that may be put on hold, with their history read."""
        feeds = [
            f
            for f in merged
            if f not in on_hold
            and f.category in catalogue
            and catalogue[f.category].kind in settings.kinds
            and catalogue[f.category].severity in settings.severities
            and could_cross(merged[f], settings)
        ]
        key = (week, id(settings))
        if self._key != key:
            self._key, self._history = key, {}
        missing = [f for f in feeds if f not in self._history]
        if missing:
            since = week - settings.history_weeks * WEEK
            rows = self._past(conn, missing, since, week)
            # only what is stored is kept: a batch rolled back leaves no first week behind
            self._first.update(first_weeks(conn, [f for f in missing if f not in self._first]))
            for f in missing:
                start = self._first.get(f)
                self._history[f] = (
                    NO_HISTORY
                    if start is None or start >= week
                    else history_of(rows[f], start, week, settings, f.category)
                )
        return feeds

    def _past(
        self, conn: Connection, feeds: list[Feed], since: dt.date, week: dt.date
    ) -> dict[Feed, dict[dt.date, Tally]]:
        """The rows of weeks ``since`` to the week before ``week``. A week that is over
        takes no more records, so its rows are read once and kept; only the weeks not
        yet read are asked for (one query per starting week, mostly the week just over)."""
        if self._past_until is not None and self._past_until >= week:
            self._past_rows, self._read_until = {}, {}  # the clock went back: start again
        self._past_until = week - WEEK
        by_start: dict[dt.date, list[Feed]] = {}
        for f in feeds:
            start = max(since, self._read_until.get(f, since - WEEK) + WEEK)
            if start <= week - WEEK:
                by_start.setdefault(start, []).append(f)
        for start, group in by_start.items():
            for f, found in read_weeks(conn, group, start, week - WEEK).items():
                kept = self._past_rows.setdefault(f, {})
                kept.update(found)
                for old in [w for w in kept if w < since]:
                    del kept[old]
        for f in feeds:
            self._read_until[f] = week - WEEK
        return {f: self._past_rows.get(f, {}) for f in feeds}


def _objections(conn: Connection, decided: list[Record]) -> list[tuple[Feed, bool]]:
    """The feed of the record each objection decision is about, and whether it upheld the
    objection (the record corrected or withdrawn)."""
    if not decided:
        return []
    cases: dict[str, bool] = {}
    for rec in decided:
        attrs = orjson.loads(rec.attributes)
        case = attrs.get("case")
        if isinstance(case, str):
            cases[record_id(REMEDY_PROVIDER, case)] = attrs.get("outcome") in UPHELD
    filings = select_in(conn, "records", ("id", "attributes"), "id", cases)
    targets: dict[str, str] = {}
    for fid, text in filings:
        target = orjson.loads(text).get("target")
        if isinstance(target, str):
            targets[fid] = target
    found = {
        rid: Feed(provider, category)
        for rid, provider, category in select_in(
            conn, "records", ("id", "provider", "category"), "id", targets.values()
        )
    }
    return [(found[targets[f]], upheld) for f, upheld in cases.items() if targets.get(f) in found]


__all__ = ["PLATFORM_PREFIX", "Monitor", "settings_of"]
