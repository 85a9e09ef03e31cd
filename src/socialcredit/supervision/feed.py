"""The one supervision output a domain may score: the share of a judge's justification
requests a reviewer found unjustified over a period.

Only where the supervision settings in force turn ``feed_domain`` on (off by default)
does :func:`feed_unjustified_shares` report, for each judge with at least
``feed_min_decided`` requests decided in the ``feed_period_days`` days up to a day, one
``judicial.unjustified_deviation_share`` record by the platform's supervision provider.
A rule of the pack may then score it in the judicial domain (the supervision lint lets
a rule read it only then); no list or measure may ever follow from it. Flags, deviation
scores and indices are never reported: a judge's record counts only what reviewers found.
Reporting again on the same day with new findings corrects the day's record.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from socialcredit.clock import today
from socialcredit.ledger.ingest import Ingestor
from socialcredit.remedies import steps as s
from socialcredit.remedies.cases import cases_of
from socialcredit.supervision.errors import FeedOff
from socialcredit.supervision.judges import settings_at

PROVIDER = "platform.supervision"
CATEGORY = "judicial.unjustified_deviation_share"


@dataclass(frozen=True)
class Share:
    judge: str
    period_start: dt.date
    period_end: dt.date
    decided: int
    unjustified: int

    @property
    def share(self) -> float:
        return self.unjustified / self.decided

    def to_dict(self) -> dict[str, Any]:
        return {
            "judge": self.judge,
            "period_start": self.period_start.isoformat(),
            "period_end": self.period_end.isoformat(),
            "decided": self.decided,
            "unjustified": self.unjustified,
            "unjustified_share": round(self.share, 6),
        }


def unjustified_shares(conn: Connection, until: dt.date, days: int) -> list[Share]:
    """Per judge, the justification requests decided in the ``days`` days up to ``until``
    and how many were found unjustified."""
    start = until - dt.timedelta(days=days - 1)
    counts: dict[str, list[int]] = {}
    for case in cases_of(s.remedy_records(conn)):
        decided = case.last(s.JUSTIFICATION_DECIDED)
        if case.kind != "justification" or decided is None or not start <= decided.on <= until:
            continue
        tally = counts.setdefault(case.subject, [0, 0])
        tally[0] += 1
        tally[1] += decided.attributes.get("outcome") == "unjustified"
    return [Share(judge, start, until, n, bad) for judge, (n, bad) in sorted(counts.items())]


def _row(share: Share, conn: Connection) -> dict[str, Any] | None:
    """The record of a share; None when the day's record already says it."""
    ref = f"JSH-{share.period_end:%Y%m%d}-{share.judge}"
    attributes = share.to_dict()
    del attributes["judge"]
    row: dict[str, Any] = {
        "provider": PROVIDER,
        "ref": ref,
        "subject": share.judge,
        "category": CATEGORY,
        "occurred_at": share.period_end.isoformat(),
        "attributes": attributes,
    }
    earlier = s.by_ref(conn, PROVIDER, ref)
    if earlier is None:
        return row
    head = s.head_of(conn, earlier)
    if head.attributes == attributes:
        return None
    # new findings that day: a correction of the day's record
    return {**row, "ref": f"{ref}-{head.seq}", "supersedes": head.ref}


def feed_unjustified_shares(ledger: Ingestor, *, until: dt.date | None = None) -> list[Share]:
    """Report the shares up to ``until`` (default: today), where the settings allow."""
    store = ledger.store
    settings = settings_at(store, store.clock.now()).judges
    if not settings.feed_domain:
        raise FeedOff(
            "the supervision settings in force do not let the judges' share of unjustified "
            "flags feed the judicial domain (supervision.judges.feed_domain is off)"
        )
    day = until or today(store.clock)
    with store.reader() as conn:
        shares = [
            x
            for x in unjustified_shares(conn, day, settings.feed_period_days)
            if x.decided >= settings.feed_min_decided
        ]
        rows = [row for x in shares if (row := _row(x, conn)) is not None]
    if rows:
        ledger.ingest_atomic(rows)
    return shares


__all__ = ["CATEGORY", "PROVIDER", "Share", "feed_unjustified_shares", "unjustified_shares"]
