"""A court's feed of judgment defaults with eight quiet weeks behind it, and the week it
floods: what the hold tests build on.

The store's clock (tests/conftest.py) is Monday 2 March 2026, 10:00 in Beijing. The
feed (``spc.national``, ``judicial.judgment_default``) sends two records each
Wednesday from 7 January to 25 February: its volume band is then median 2 ± 5 × 1.41
(the Poisson floor, √2), so a week of ten records or more puts it on hold.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from socialcredit.clock import FixedClock
from socialcredit.services.ingest import ingestor
from socialcredit.store.database import Store

from support.factories import ingest_on, judgment_default, person_id

PROVIDER = "spc.national"
CATEGORY = "judicial.judgment_default"
QUIET_WEEKS = [dt.date(2026, 1, 7) + dt.timedelta(weeks=i) for i in range(8)]  # Wednesdays
SPIKE = 12  # records in the week that floods


def debtor(n: int) -> str:
    return person_id(area="371082", birth="19950101", seq=n)


def case(n: int, subject: str, day: str, amount: float = 50_000) -> dict[str, Any]:
    ref = f"(2026)鲁1082执{n}号"
    return judgment_default(
        ref=ref,
        subject=subject,
        occurred_at=day,
        attributes={"case_no": ref, "amount": amount, "ground": "evades_enforcement"},
    )


def quiet_history(store: Store, per_week: int = 2, days: list[dt.date] = QUIET_WEEKS) -> list[str]:
    """Eight weeks of ``per_week`` judgment defaults (ingested on ``days``, one a week);
    returns their subjects."""
    subjects = []
    n = 0
    for day in days:
        rows = []
        for _ in range(per_week):
            n += 1
            subjects.append(debtor(n))
            rows.append(case(n, debtor(n), day.isoformat(), amount=40_000 + 1_000 * n))
        ingest_on(store, day.isoformat(), *rows)
    return subjects


def flood_rows(
    first: int = 100, count: int = SPIKE, day: str = "2026-03-01"
) -> list[dict[str, Any]]:
    """A week's worth of ``count`` records about new subjects, numbered from ``first``."""
    return [case(first + i, debtor(first + i), day) for i in range(count)]


def flood(store: Store, first: int = 100, count: int = SPIKE, day: str = "2026-03-01") -> list[str]:
    """:func:`flood_rows` ingested now; returns their subjects."""
    rows = flood_rows(first, count, day)
    subjects = [r["subject"] for r in rows]
    result = ingestor(store).ingest_dicts(rows)
    assert result.rejected == 0, result.errors
    return subjects


def later(store: Store, when: str) -> dt.datetime:
    """Move the store's clock forward to ``when`` (ISO, naive UTC); return it."""
    clock = store.clock
    assert isinstance(clock, FixedClock)
    instant = dt.datetime.fromisoformat(when)
    assert instant >= clock.now()
    clock.set(instant)
    return instant
