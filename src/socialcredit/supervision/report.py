"""The providers' report: every feed's reliability score with its components and its
score week by week, the worst first, read from the running statistics (``feed_weeks``),
never from the ledger itself."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from socialcredit.clock import naive_utc
from socialcredit.ledger.policy_store import policy_at
from socialcredit.policy.holds import HoldSettings
from socialcredit.store.database import Store
from socialcredit.supervision.feeds import Feed, all_weeks, first_weeks, week_of
from socialcredit.supervision.holds import open_holds
from socialcredit.supervision.monitor import DEFAULT, PLATFORM_PREFIX, settings_of
from socialcredit.supervision.reliability import Part, judged_weeks, score_at
from socialcredit.supervision.signals import WEEK

MAX_WEEKS = 104


@dataclass(frozen=True)
class FeedReport:
    feed: Feed
    score: float
    parts: tuple[Part, ...]
    sent: int  # records sent in the window: appended, resubmitted or refused
    received: int
    refused_codes: dict[str, int]
    hold: str | None  # the hold in force on the feed
    series: tuple[tuple[dt.date, float], ...]  # the score as of each week

    def to_dict(self) -> dict[str, Any]:
        return {
            "provider": self.feed.provider,
            "category": self.feed.category,
            "score": self.score,
            "components": [p.to_dict() for p in self.parts],
            "sent": self.sent,
            "received": self.received,
            "refused_by_code": dict(sorted(self.refused_codes.items())),
            "hold": self.hold,
            "series": [{"week": w.isoformat(), "score": s} for w, s in self.series],
        }


@dataclass(frozen=True)
class ProvidersReport:
    week: dt.date  # the week in progress the report is as of
    window_weeks: int  # the weeks each score is made of
    feeds: tuple[FeedReport, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "week": self.week.isoformat(),
            "window_weeks": self.window_weeks,
            "feeds": [f.to_dict() for f in self.feeds],
        }


def providers_report(
    store: Store, *, weeks: int = 12, at: dt.datetime | None = None
) -> ProvidersReport:
    """Every feed that sent anything in the weeks shown or the window before them, with
    its score as of each of the last ``weeks`` weeks (1 to 104) up to the week of ``at``
    (default: now). A hold shown is one in force now."""
    weeks = max(1, min(weeks, MAX_WEEKS))
    when = store.clock.now() if at is None else naive_utc(at)
    with store.reader() as conn:
        return _report(conn, when, weeks)


def _report(conn: Connection, now: dt.datetime, weeks: int) -> ProvidersReport:
    policy, _note = policy_at(conn, now)
    settings: HoldSettings = settings_of(policy) or DEFAULT
    current = week_of(now)
    h = settings.history_weeks
    shown_from = current - (weeks - 1) * WEEK
    rows = all_weeks(conn, shown_from - 2 * h * WEEK)
    feeds = [
        f
        for f, by_week in rows.items()
        if not f.provider.startswith(PLATFORM_PREFIX)
        and any(shown_from - h * WEEK < w <= current for w in by_week)
    ]
    first = first_weeks(conn, feeds)
    held = open_holds(conn)
    out = []
    for feed in feeds:
        judged = judged_weeks(
            rows[feed], first[feed], current, settings, feed.category, since=shown_from - h * WEEK
        )
        series = []
        for i in range(weeks):
            week = shown_from + i * WEEK
            if week >= first[feed]:
                series.append((week, score_at(judged, week, current, settings).score))
        latest = score_at(judged, current, current, settings)
        out.append(
            FeedReport(
                feed=feed,
                score=latest.score,
                parts=latest.parts,
                sent=latest.totals.sent,
                received=latest.totals.received,
                refused_codes=latest.totals.refused_codes,
                hold=held.get(feed),
                series=tuple(series),
            )
        )
    out.sort(key=lambda f: (f.score, f.feed))
    return ProvidersReport(current, h, tuple(out))


__all__ = ["FeedReport", "ProvidersReport", "providers_report"]
