"""Overturned decisions per 100 and "double publicity" lag, on a small hand-made ledger
whose answers are counted by hand."""

from __future__ import annotations

from typing import Any

import pytest

from socialcredit.store.database import Store
from socialcredit.supervision.officials import officials_report

from support.supervision import (
    DEPUTY_A,
    HEAD_A,
    HEAD_B,
    INST_A,
    INST_B,
    INST_C,
    INST_D,
    MARKET_A,
    MARKET_B,
    day,
    ingest,
    licence,
    overturned,
    penalty,
    setup,
    units,
)


def _by_unit(report: dict[str, Any], indicator: str, kind: str) -> dict[str, dict[str, Any]]:
    [found] = [i for i in report["indicators"] if i["id"] == indicator]
    return {u["unit"]: u for u in found["units"][kind]}


@pytest.fixture
def ledger(store: Store) -> Store:
    setup(store)
    rows = units()
    # A decides ten times in 2025 (seven of them while its deputy was in office), B four
    rows += [penalty(MARKET_A, f"荣罚〔2025〕{n}号", f"2025-0{n % 9 + 1}-10") for n in range(10)]
    rows += [penalty(MARKET_B, f"环市监罚〔2025〕{n}号", f"2025-0{n + 7}-10") for n in range(3)]
    rows += [penalty(MARKET_B, "环市监罚〔2024〕1号", "2024-12-31")]  # before the period
    rows += [
        overturned(INST_A, "(2025)鲁1082行初1号", "2025-04-01"),
        overturned(INST_A, "(2025)鲁1082行初2号", "2025-08-01"),
        overturned(INST_B, "(2025)鲁1002行初1号", "2025-09-01"),
        overturned(INST_C, "(2025)鲁1082行初3号", "2025-09-01"),  # C decides nothing here
        overturned(HEAD_A, "(2025)鲁1082行初4号", "2025-05-01"),  # naming the official
        overturned(INST_A, "(2024)鲁1082行初9号", "2024-11-01"),  # before the period
    ]
    ingest(store, *rows)
    return store


def test_overturned_per_100_decisions_of_each_institution(ledger: Store) -> None:
    report = officials_report(ledger, since=day("2025-01-01"), until=day("2025-12-31")).to_dict()
    got = _by_unit(report, "overturned_per_100", "institution")
    assert (got[INST_A]["numerator"], got[INST_A]["denominator"], got[INST_A]["value"]) == (
        2,
        10,
        20.0,
    )
    assert (got[INST_B]["numerator"], got[INST_B]["denominator"], got[INST_B]["value"]) == (
        1,
        3,
        33.3333,
    )
    # no decision reported under C's name: a rate of nothing is no rate
    assert got[INST_C]["value"] is None and got[INST_C]["numerator"] == 1
    assert got[INST_D]["value"] is None and got[INST_D]["records"] == []
    assert len(got[INST_A]["records"]) == 2
    # A and B are both county governments: B's rate is the higher of the two
    assert got[INST_B]["group"] == got[INST_A]["group"] == "government/county"
    assert (got[INST_A]["percentile"], got[INST_B]["percentile"]) == (25.0, 75.0)
    assert got[INST_C]["percentile"] is None


def test_an_officials_rate_counts_the_decisions_made_while_in_office(ledger: Store) -> None:
    report = officials_report(ledger, since=day("2025-01-01"), until=day("2025-12-31")).to_dict()
    got = _by_unit(report, "overturned_per_100", "official")
    assert set(got) == {HEAD_A, DEPUTY_A, HEAD_B}
    assert (got[HEAD_A]["numerator"], got[HEAD_A]["denominator"]) == (1, 10)
    # the deputy left on 2025-06-30: A's decisions of January to June only
    assert (got[DEPUTY_A]["numerator"], got[DEPUTY_A]["denominator"]) == (0, 7)
    assert got[HEAD_A]["institution"] == "荣成市市场监督管理局"
    assert got[DEPUTY_A]["name"] == "副局长"
    assert (got[HEAD_B]["value"], got[HEAD_B]["denominator"]) == (0.0, 3)


def test_a_period_before_the_deputy_left_and_after(ledger: Store) -> None:
    late = officials_report(ledger, since=day("2025-07-01"), until=day("2025-12-31")).to_dict()
    assert DEPUTY_A not in _by_unit(late, "overturned_per_100", "official")


@pytest.fixture
def publicity(store: Store) -> Store:
    setup(store)
    ingest(
        store,
        *units(),
        # a Monday: 7 working days end on Wednesday 12 March
        penalty(MARKET_A, "荣罚1", "2025-03-03", reported="2025-03-12"),
        penalty(MARKET_A, "荣罚2", "2025-03-03", reported="2025-03-13"),  # late
        # before the National Day holiday: 7 working days end on 16 October
        licence(MARKET_A, "荣许1", "2025-09-30", reported="2025-10-16"),
        licence(MARKET_A, "荣许2", "2025-09-30", reported="2025-10-17"),  # late
        licence(MARKET_B, "环许1", "2025-05-06", reported="2025-05-07"),
        # no reported_at: published when the platform recorded it (2026-03-02), late
        {**penalty(MARKET_B, "环罚1", "2025-06-02"), "reported_at": None},
    )
    return store


def test_decisions_published_after_seven_working_days(publicity: Store) -> None:
    report = officials_report(publicity, since=day("2025-01-01"), until=day("2025-12-31"))
    got = _by_unit(report.to_dict(), "publicity_late_per_100", "institution")
    assert (got[INST_A]["numerator"], got[INST_A]["denominator"], got[INST_A]["value"]) == (
        2,
        4,
        50.0,
    )
    assert (got[INST_B]["numerator"], got[INST_B]["denominator"]) == (1, 2)
    assert len(got[INST_A]["records"]) == 2
    assert got[INST_C]["value"] is None  # C reports nothing


def test_a_corrected_decision_keeps_the_day_it_was_first_published(publicity: Store) -> None:
    correction = {
        **penalty(MARKET_A, "荣罚1-更正", "2025-03-03", reported="2025-11-20"),
        "supersedes": "荣罚1",
    }
    ingest(publicity, correction)
    report = officials_report(publicity, since=day("2025-01-01"), until=day("2025-12-31"))
    got = _by_unit(report.to_dict(), "publicity_late_per_100", "institution")
    assert (got[INST_A]["numerator"], got[INST_A]["denominator"]) == (2, 4)
