"""Objections to the records a unit reported: upheld per 100 decided, and answers owed
past their deadline -- cases made with the platform's own remedy steps."""

from __future__ import annotations

from typing import Any

import pytest

from socialcredit.ledger.record import record_id
from socialcredit.remedies.appeals import decide_appeal, file_appeal
from socialcredit.remedies.objections import (
    accept_objection,
    answer_objection,
    decide_objection,
    file_objection,
)
from socialcredit.services.ingest import ingestor
from socialcredit.store.database import Store
from socialcredit.supervision.officials import officials_report

from support.remedies import move
from support.supervision import (
    FIRM,
    INST_A,
    INST_B,
    MARKET_A,
    MARKET_B,
    day,
    ingest,
    penalty,
    setup,
    units,
)


def _units(report: dict[str, Any], indicator: str) -> dict[str, dict[str, Any]]:
    [found] = [i for i in report["indicators"] if i["id"] == indicator]
    return {u["unit"]: u for u in found["units"]["institution"]}


def _object(store: Store, ref: str, provider: str, filed: str) -> str:
    move(store, filed)
    view = file_objection(
        ingestor(store), FIRM, record=record_id(provider, ref), grounds="wrong", evidence="x"
    )
    accept_objection(ingestor(store), view.case.id)
    return view.case.id


@pytest.fixture
def cases(store: Store) -> dict[str, str]:
    """Four objections to A's penalties, one to B's (answer_by: 12 working days after
    filing, 2025-05-22 for a filing on 2025-05-06)."""
    setup(store)
    move(store, "2025-05-01")
    ingest(
        store,
        *units(known="2025-05-01"),
        *(penalty(MARKET_A, f"荣罚{n}", "2025-04-01") for n in range(1, 5)),
        penalty(MARKET_B, "环罚1", "2025-04-01"),
    )
    ids = {name: _object(store, ref, MARKET_A, "2025-05-06") for name, ref in (
        ("withdrawn", "荣罚1"), ("stood", "荣罚2"), ("late", "荣罚3"), ("owed", "荣罚4"),
    )}  # fmt: skip
    ids["b"] = _object(store, "环罚1", MARKET_B, "2025-05-06")
    move(store, "2025-05-20")
    answer_objection(ingestor(store), ids["withdrawn"], "withdrawn", "filed in error")
    answer_objection(ingestor(store), ids["stood"], "upheld", "the record is right")
    answer_objection(ingestor(store), ids["b"], "upheld", "the record is right")
    move(store, "2025-05-26")  # after the deadline of 22 May
    answer_objection(ingestor(store), ids["late"], "upheld", "the record is right")
    move(store, "2025-06-02")
    for name in ("withdrawn", "stood", "late", "b"):
        decide_objection(ingestor(store), ids[name], "reviewed", "reviewer-1")
    move(store, "2025-06-05")
    file_appeal(ingestor(store), ids["b"], grounds="the fine was paid")
    move(store, "2025-06-10")
    decide_appeal(ingestor(store), ids["b"], "overturned", "paid before", "appeal-1")
    move(store, "2026-03-02")
    return ids


def test_objections_upheld_per_100_decided(store: Store, cases: dict[str, str]) -> None:
    report = officials_report(store, since=day("2025-01-01"), until=day("2025-12-31")).to_dict()
    got = _units(report, "objections_upheld_per_100")
    # A: three decided, one withdrawn; the fourth is still unanswered
    assert (got[INST_A]["numerator"], got[INST_A]["denominator"], got[INST_A]["value"]) == (
        1,
        3,
        33.3333,
    )
    # B: the record stood, but the appeal overturned the decision
    assert (got[INST_B]["numerator"], got[INST_B]["denominator"], got[INST_B]["value"]) == (
        1,
        1,
        100.0,
    )
    assert len(got[INST_A]["records"]) == 1 and len(got[INST_B]["records"]) == 2


def test_answers_given_late_or_still_owed(store: Store, cases: dict[str, str]) -> None:
    report = officials_report(store, since=day("2025-01-01"), until=day("2025-12-31")).to_dict()
    got = _units(report, "objection_deadlines_missed")
    assert (got[INST_A]["value"], got[INST_A]["denominator"]) == (2, 4)
    assert (got[INST_B]["value"], got[INST_B]["denominator"]) == (0, 1)
    assert len(got[INST_A]["records"]) == 2


def test_an_answer_is_missed_the_day_after_its_deadline(
    store: Store, cases: dict[str, str]
) -> None:
    move(store, "2025-05-22")  # the deadline itself: the ledger as known then
    report = officials_report(store, since=day("2025-05-01"), until=day("2025-05-22")).to_dict()
    got = _units(report, "objection_deadlines_missed")
    assert (got[INST_A]["value"], got[INST_A]["denominator"]) == (0, 4)
    move(store, "2025-05-23")  # two answers of A still owed
    report = officials_report(store, since=day("2025-05-01"), until=day("2025-05-23")).to_dict()
    assert _units(report, "objection_deadlines_missed")[INST_A]["value"] == 2
