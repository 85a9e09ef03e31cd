"""Red flags in procurement awards, each on a hand-made ledger with the answer known: one
flag for each pattern, and the near misses that raise none."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from socialcredit.ledger.record import record_id
from socialcredit.policy.indicators import BlacklistedSupplier
from socialcredit.store.database import Store
from socialcredit.supervision.context import load_context
from socialcredit.supervision.officials import officials_report
from socialcredit.supervision.period import Period
from socialcredit.supervision.procurement import blacklisted_supplier, clustered
from socialcredit.supervision.records import Row
from socialcredit.supervision.setup import current_policy, snapshot_now

from support.factories import ingest_on
from support.remedies import dishonest
from support.supervision import (
    INST_A,
    INST_B,
    INST_C,
    INST_D,
    MARKET_A,
    PROCUREMENT,
    SUP1,
    SUP2,
    SUP3,
    SUP4,
    award,
    day,
    ingest,
    record,
    setup,
    units,
)

YEAR = {"since": day("2025-01-01"), "until": day("2025-12-31")}


def _units(report: dict[str, Any], indicator: str) -> dict[str, dict[str, Any]]:
    [found] = [i for i in report["indicators"] if i["id"] == indicator]
    return {u["unit"]: u for u in found["units"]["institution"]}


def _row(n: int, on: str) -> Row:
    return Row(f"r{n}", "p", f"x{n}", "s", "c", day(on), day(on), {})


def test_clusters_are_spans_shorter_than_the_window() -> None:
    rows = [_row(1, "2025-01-01"), _row(2, "2025-06-01"), _row(3, "2025-12-31")]
    assert [r.id for r in clustered(rows, 3, 365)] == ["r1", "r2", "r3"]
    assert clustered(rows, 3, 364) == []  # 364 days from the first to the last
    rows.append(_row(4, "2027-01-01"))
    assert [r.id for r in clustered(rows, 2, 365)] == ["r1", "r2", "r3"]


@pytest.fixture
def awards(store: Store) -> Store:
    setup(store)
    ingest(
        store,
        *units(),
        # A: three single-source awards to SUP1 within a year -- and one long before
        award(INST_A, "A-1", "2025-02-01", SUP1, 300_000, "single_source"),
        award(INST_A, "A-2", "2025-05-01", SUP1, 250_000, "single_source"),
        award(INST_A, "A-3", "2025-09-01", SUP1, 400_000, "single_source"),
        award(INST_A, "A-0", "2023-01-01", SUP1, 100_000, "single_source"),
        # B: three to SUP2, but spread over more than a year; and a tender to SUP2
        award(INST_B, "B-1", "2025-01-10", SUP2, 300_000, "single_source"),
        award(INST_B, "B-2", "2025-06-01", SUP2, 300_000, "single_source"),
        award(INST_B, "B-3", "2026-02-01", SUP2, 300_000, "single_source"),
        award(INST_B, "B-4", "2025-03-01", SUP2, 300_000, "open_tender"),
        # C: three awards just under 2,000,000 within a year, to different suppliers
        award(INST_C, "C-1", "2025-03-01", SUP1, 1_850_000),
        award(INST_C, "C-2", "2025-04-01", SUP2, 1_999_999),
        award(INST_C, "C-3", "2025-10-01", SUP4, 1_800_000),
        # D: two in the band and two just outside it
        award(INST_D, "D-1", "2025-03-01", SUP1, 1_900_000),
        award(INST_D, "D-2", "2025-04-01", SUP1, 1_950_000),
        award(INST_D, "D-3", "2025-05-01", SUP1, 2_000_000),
        award(INST_D, "D-4", "2025-06-01", SUP1, 1_799_999),
    )
    return store


def test_repeated_single_source_awards(awards: Store) -> None:
    report = officials_report(awards, **YEAR).to_dict()
    got = _units(report, "single_source_repeated")
    assert got[INST_A]["value"] == 1
    [flag] = got[INST_A]["flags"]
    assert flag["supplier"] == SUP1 and flag["awards"] == 3
    assert flag["first"] == "2025-02-01" and flag["last"] == "2025-09-01"
    assert flag["records"] == [record_id(PROCUREMENT, f"A-{n}") for n in (1, 2, 3)]
    assert flag["amount"] == 950_000
    assert got[INST_B]["value"] == 0 and "flags" not in got[INST_B]
    # the only flagged unit is far above its peers
    assert got[INST_A]["percentile"] > got[INST_B]["percentile"]


def test_a_window_reaching_back_before_the_period(awards: Store) -> None:
    report = officials_report(awards, since=day("2026-01-01"), until=day("2026-03-01"))
    got = _units(report.to_dict(), "single_source_repeated")
    assert got[INST_B]["value"] == 0  # B-1 to B-3 span 387 days
    assert got[INST_A]["value"] == 0  # A's flag has no award in this period


def test_several_awards_just_under_the_threshold(awards: Store) -> None:
    got = _units(officials_report(awards, **YEAR).to_dict(), "under_threshold")
    assert got[INST_C]["value"] == 1
    [flag] = got[INST_C]["flags"]
    assert flag["awards"] == 3 and "supplier" not in flag
    assert flag["amount"] == 5_649_999
    assert got[INST_D]["value"] == 0
    assert got[INST_A]["value"] == 0


@pytest.fixture
def listed(store: Store) -> Store:
    """SUP3 on the SAMR list from 2025-04-11; SUP4 on the list of abnormal operations from
    2025-02-01 until it was cleared on 2025-03-01."""
    setup(store)
    ingest(store, *units())
    ingest_on(store, "2025-04-01", dishonest("荣市监严〔2025〕1号", "2025-04-01", subject=SUP3))
    abnormal = record(
        MARKET_A, "荣市监异〔2025〕1号", SUP4, "market.abnormal_operation", "2025-02-01",
        decision_no="荣市监异〔2025〕1号", reason="no_annual_report",
    )  # fmt: skip
    ingest_on(store, "2025-02-01", abnormal)
    cleared = record(
        MARKET_A, "荣市监异〔2025〕1号-移出", SUP4, "market.abnormal_operation_cleared",
        "2025-03-01", decision_no="荣市监异〔2025〕1号",
    )  # fmt: skip
    ingest_on(store, "2025-03-01", cleared)
    ingest(
        store,
        award(INST_C, "C-1", "2025-04-05", SUP3, 50_000),  # notice: not in force yet
        award(INST_C, "C-2", "2025-05-01", SUP3, 60_000),  # in force
        award(INST_D, "D-1", "2025-02-15", SUP4, 70_000),  # in force
        award(INST_D, "D-2", "2025-06-01", SUP4, 80_000),  # cleared by then
        award(INST_A, "A-1", "2025-05-01", SUP1, 90_000),  # never listed
    )
    return store


def test_awards_to_an_enterprise_on_a_black_list_that_day(listed: Store) -> None:
    got = _units(officials_report(listed, **YEAR).to_dict(), "blacklisted_supplier")
    assert (got[INST_C]["value"], got[INST_D]["value"], got[INST_A]["value"]) == (1, 1, 0)
    [flag] = got[INST_C]["flags"]
    assert flag["supplier"] == SUP3 and flag["awarded"] == "2025-05-01"
    assert flag["lists"] == ["serious_illegal_dishonest_enterprises"]
    ground = record_id("samr.national", "荣市监严〔2025〕1号")
    assert flag["records"] == [record_id(PROCUREMENT, "C-2"), ground]
    assert got[INST_C]["records"] == [record_id(PROCUREMENT, "C-2")]
    [flag] = got[INST_D]["flags"]
    assert flag["lists"] == ["abnormal_operations"] and flag["awarded"] == "2025-02-15"


def test_only_the_lists_the_formula_names(listed: Store) -> None:
    now = listed.clock.now()
    with snapshot_now(listed, now) as snap:
        ctx = load_context(
            listed,
            snap,
            current_policy(listed),
            Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
            dt.date(2026, 3, 2),
            ["government.procurement_award"],
        )
        only = BlacklistedSupplier(name="blacklisted_supplier", lists=("abnormal_operations",))
        got = blacklisted_supplier(ctx, only, "institution")
    assert (got[INST_C].value, got[INST_D].value) == (0, 1)
