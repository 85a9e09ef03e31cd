"""The running statistics of a feed, kept as records arrive: a hand-made week of a
court's feed with every kind of arrival, counted in ``feed_weeks`` without rescanning
the ledger."""

from __future__ import annotations

import datetime as dt
from typing import Any

from socialcredit.remedies.objections import (
    accept_objection,
    answer_objection,
    decide_objection,
    file_objection,
)
from socialcredit.remedies.steps import by_ref
from socialcredit.services.ingest import ingestor
from socialcredit.store.database import Store
from socialcredit.supervision.feeds import Feed, Tally, amount_bin, read_weeks

from support.holds import CATEGORY, PROVIDER, case, debtor

WEEK = dt.date(2026, 3, 2)


def _week(store: Store) -> dict[Feed, Tally]:
    with store.reader() as conn:
        feeds = [Feed(PROVIDER, CATEGORY), Feed(PROVIDER, ""), Feed("nobody", CATEGORY)]
        rows = read_weeks(conn, feeds, WEEK, WEEK)
    return {f: t[WEEK] for f, t in rows.items() if WEEK in t}


def test_every_arrival_is_counted_on_its_feed(store: Store) -> None:
    rows: list[dict[str, Any]] = [
        case(1, debtor(1), "2026-02-27", amount=1_000),
        case(2, debtor(2), "2026-02-27", amount=10_000),
        case(3, debtor(3), "2025-12-01", amount=100_000),  # 91 days before: late
        case(3, debtor(3), "2025-12-01", amount=100_000),  # the same again: a duplicate
        case(1, debtor(1), "2026-02-27", amount=2_000),  # ref 1, other content: conflict
        case(4, debtor(4), "2026-02-27", amount=-5),  # schema_violation
        case(5, debtor(5), "2026-03-09"),  # future_date
        {**case(6, debtor(6), "2026-02-27"), "category": "judicial.nonsense"},
        {**case(7, debtor(7), "2026-02-27"), "provider": "nobody"},  # not registered
        {**case(8, debtor(2), "2026-02-27", amount=10_500), "supersedes": "(2026)鲁1082执2号"},
        {**case(9, debtor(1), "2026-02-27"), "supersedes": "(2026)鲁1082执1号", "withdrawn": True},
        {**case(10, debtor(3), "2026-02-27"), "supersedes": "no such ref"},  # unknown_reference
    ]
    result = ingestor(store).ingest_dicts(rows)
    assert (result.accepted, result.duplicates, result.rejected) == (5, 1, 6)
    found = _week(store)
    assert set(found) == {Feed(PROVIDER, CATEGORY), Feed(PROVIDER, "")}
    feed = found[Feed(PROVIDER, CATEGORY)]
    assert (feed.received, feed.duplicates, feed.refused) == (5, 1, 4)
    assert feed.refused_codes == {
        "conflict": 1,
        "schema_violation": 1,
        "future_date": 1,
        "unknown_reference": 1,
    }
    assert (feed.late, feed.corrections, feed.withdrawals, feed.held) == (1, 1, 1, 0)
    # 10,000 and 10,500 share a bin of 1/20 decade
    assert feed.amounts == {amount_bin(1_000): 1, amount_bin(10_000): 2, amount_bin(100_000): 1}
    assert found[Feed(PROVIDER, "")].refused_codes == {"unknown_category": 1}


def test_an_objection_upheld_counts_on_the_feed_of_the_record(store: Store) -> None:
    result = ingestor(store).ingest_dicts(
        [case(1, debtor(1), "2026-02-20"), case(2, debtor(2), "2026-02-20")]
    )
    assert result.accepted == 2
    with store.reader() as conn:
        first = by_ref(conn, PROVIDER, "(2026)鲁1082执1号")
        second = by_ref(conn, PROVIDER, "(2026)鲁1082执2号")
    assert first is not None and second is not None
    for record, outcome in ((first, "withdrawn"), (second, "upheld")):
        ledger = ingestor(store)
        view = file_objection(
            ledger, record.subject, record=record.id, grounds="wrong", evidence="paid"
        )
        accept_objection(ledger, view.case.id)
        answer_objection(ledger, view.case.id, outcome, "checked")  # type: ignore[arg-type]
        decide_objection(ledger, view.case.id, "agreed", "reviewer-1")
    feed = _week(store)[Feed(PROVIDER, CATEGORY)]
    # two decided, one upheld (the record withdrawn); the answer's withdrawal counts too
    assert (feed.objections, feed.upheld, feed.withdrawals, feed.received) == (2, 1, 1, 3)
