"""A subject's score and grade in each scheme at the end of each of the last months.

Each point is the assessment at the last instant of a month (China time; the
current month: now), under the policy active then and with what was known then
(``known_at`` equals ``at``): the grade the subject actually had, not one
recomputed with records reported later.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection

from socialcredit.clock import CHINA, naive_utc, today
from socialcredit.engine.ledger_view import assess
from socialcredit.errors import NotFound
from socialcredit.ledger.policy_store import policy_at
from socialcredit.services.kept import kept
from socialcredit.store.database import Store


@dataclass(frozen=True)
class Point:
    month: dt.date  # the last day of the month (or today, for the current one)
    scheme: str
    score: float | None
    grade: str | None


def month_ends(day: dt.date, now: dt.datetime, months: int) -> list[tuple[dt.date, dt.datetime]]:
    """The last day and last instant (naive UTC) of each of the ``months`` months up to
    ``day``'s, oldest first; the current month ends ``now``."""
    out: list[tuple[dt.date, dt.datetime]] = []
    year, month = day.year, day.month
    for _ in range(months):
        nxt = dt.date(year + month // 12, month % 12 + 1, 1)
        start_next = dt.datetime(nxt.year, nxt.month, 1, tzinfo=CHINA)
        end = naive_utc(start_next - dt.timedelta(microseconds=1))
        last = nxt - dt.timedelta(days=1)
        out.append((day, now) if end > now else (last, end))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out[::-1]


def score_history(store: Store, subject: str, months: int = 12) -> list[Point]:
    """The subject's score and grade per scheme at each month's end (a month before
    anything was known about the subject has no point).

    A history is kept until the store's next write or the next minute
    (:mod:`socialcredit.services.kept`): twelve assessments cost more than the rest of
    a page."""
    points = kept(store, ("history", subject, months), lambda: _computed(store, subject, months))
    return list(points)


def _computed(store: Store, subject: str, months: int) -> list[Point]:
    with store.reader() as conn:
        return _history(conn, store, subject, months, store.clock.now())


def _history(
    conn: Connection, store: Store, subject: str, months: int, now: dt.datetime
) -> list[Point]:
    points: list[Point] = []
    for last, when in month_ends(today(store.clock), now, months):
        policy, _note = policy_at(conn, when)
        try:
            found = assess(conn, policy, subject, when, when, explain=False)
        except NotFound:
            continue
        for name, scheme in sorted(found.schemes.items()):
            if scheme.status != "scored":
                continue
            score = None if scheme.score is None else float(scheme.score)
            points.append(Point(last, name, score, scheme.grade))
    return points
