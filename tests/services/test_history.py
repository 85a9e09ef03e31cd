"""The score history: one point per scheme at each month's end, as known then."""

from __future__ import annotations

import datetime as dt

from socialcredit.services.history import month_ends, score_history
from socialcredit.store.database import Store

from support.factories import ingest_on, judgment_default
from support.remedies import DEBTOR, listed_debtor


def test_month_ends_are_the_last_instants_in_china_and_now_for_this_month() -> None:
    now = dt.datetime(2026, 3, 2, 2, 0)
    ends = month_ends(dt.date(2026, 3, 2), now, 3)
    assert ends == [
        (dt.date(2026, 1, 31), dt.datetime(2026, 1, 31, 15, 59, 59, 999999)),
        (dt.date(2026, 2, 28), dt.datetime(2026, 2, 28, 15, 59, 59, 999999)),
        (dt.date(2026, 3, 2), now),
    ]
    [(december, _), (january, _)] = month_ends(dt.date(2026, 1, 15), now, 2)
    assert (december, january) == (dt.date(2025, 12, 31), dt.date(2026, 1, 31))


def test_the_history_shows_the_grade_fall_in_the_month_of_the_judgment(store: Store) -> None:
    listed_debtor(store, occurred="2026-01-05")
    points = score_history(store, DEBTOR)
    assert len(points) == 12 and {p.scheme for p in points} == {"national"}
    by_month = {p.month: (p.score, p.grade) for p in points}
    assert by_month[dt.date(2025, 12, 31)] == (1000.0, "AAA")
    assert by_month[dt.date(2026, 1, 31)] == (700.0, "C")
    assert by_month[dt.date(2026, 3, 2)] == (700.0, "C")


def test_a_subject_unknown_has_no_history(store: Store) -> None:
    assert score_history(store, DEBTOR) == []


def test_a_history_kept_for_speed_follows_the_next_write(store: Store) -> None:
    listed_debtor(store, occurred="2026-01-05")
    first = score_history(store, DEBTOR)
    assert score_history(store, DEBTOR) == first  # kept
    case = "(2026)鲁1082执77号"  # a second judgment defaulted on: a write
    second = judgment_default(ref=case, subject=DEBTOR, occurred_at="2026-03-01")
    ingest_on(store, "2026-03-02", second)
    now = {p.month: p.score for p in score_history(store, DEBTOR)}
    assert now[dt.date(2026, 3, 2)] < 700.0 and now[dt.date(2026, 1, 31)] == 700.0
