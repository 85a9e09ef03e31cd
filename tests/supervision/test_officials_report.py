"""The officials report as a whole: record counts, percentiles among comparable units,
the period, the shape of the answer and its refusals."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, get_args

import pytest

from socialcredit.errors import InvalidOption, PolicyError
from socialcredit.ledger.policy_store import activate_in
from socialcredit.policy.indicators import FOR_OFFICIALS, RED_FLAGS, Formula
from socialcredit.policy.pack import default_packs, load_pack_files, read_pack_files
from socialcredit.store.database import Store
from socialcredit.supervision.formulas import COMPUTATIONS
from socialcredit.supervision.measure import percentile_ranks
from socialcredit.supervision.officials import officials_report
from socialcredit.supervision.period import period_of

from support.supervision import (
    DEPUTY_A,
    FIRM,
    HEAD_A,
    INST_A,
    INST_B,
    INST_C,
    INST_D,
    SUPERVISION,
    day,
    ingest,
    record,
    setup,
    units,
)


def test_every_formula_a_pack_may_name_has_its_computation() -> None:
    union = get_args(Formula)[0]
    names = {get_args(m.model_fields["name"].annotation)[0] for m in get_args(union)}
    assert names == set(COMPUTATIONS)
    assert names >= FOR_OFFICIALS | RED_FLAGS


def test_percentile_ranks_count_half_of_the_ties() -> None:
    assert percentile_ranks([0, 0, 0, 5]) == [37.5, 37.5, 37.5, 87.5]
    assert percentile_ranks([3, 1, 2]) == [83.3, 16.7, 50.0]
    assert percentile_ranks([7]) == [50.0]
    assert percentile_ranks([]) == []


def test_the_default_period_is_the_year_up_to_today() -> None:
    today = dt.date(2026, 3, 2)
    assert period_of(today, None, None).since == dt.date(2025, 3, 3)
    assert period_of(today, dt.date(2026, 1, 1), None).until == today


@pytest.mark.parametrize(
    ("since", "until", "message"),
    [
        ("2026-02-01", "2026-01-01", "the period starts on 2026-02-01, after it ends"),
        (None, "2026-03-03", "after today"),
        ("2000-01-01", "2026-01-01", "more than twenty years"),
    ],
)
def test_a_period_that_cannot_be_is_refused(since: str | None, until: str, message: str) -> None:
    with pytest.raises(InvalidOption, match=message) as caught:
        period_of(dt.date(2026, 3, 2), day(since) if since else None, day(until))
    assert (caught.value.code, caught.value.status) == ("invalid_option", 400)


def _contract(ref: str, inst: str, occurred: str, amount: float) -> dict[str, Any]:
    return record(
        SUPERVISION, ref, inst, "government.contract_default", occurred,
        contract_no=ref, counterparty=FIRM, amount=amount, days_overdue=90,
    )  # fmt: skip


def _late(ref: str, subject: str, occurred: str) -> dict[str, Any]:
    return record(
        SUPERVISION, ref, subject, "government.directive_late", occurred,
        directive="威政办字〔2025〕3号", days_late=12,
    )  # fmt: skip


@pytest.fixture
def counted(store: Store) -> Store:
    setup(store)
    ingest(
        store,
        *units(),
        _contract("合同1", INST_C, "2025-02-01", 120_000),
        _contract("合同2", INST_C, "2025-08-01", 30_000.5),
        _contract("合同3", INST_A, "2025-05-01", 10_000),
        _contract("合同0", INST_A, "2024-05-01", 99_000),  # before the period
        _late("督1", INST_B, "2025-03-01"),
        _late("督2", HEAD_A, "2025-03-01"),
        _late("督3", HEAD_A, "2025-09-01"),
    )
    return store


def _units(report: dict[str, Any], indicator: str, kind: str) -> dict[str, dict[str, Any]]:
    [found] = [i for i in report["indicators"] if i["id"] == indicator]
    return {u["unit"]: u for u in found["units"][kind]}


def test_contract_payment_defaults_with_their_amounts(counted: Store) -> None:
    report = officials_report(counted, since=day("2025-01-01"), until=day("2025-12-31"))
    got = _units(report.to_dict(), "contract_defaults", "institution")
    assert (got[INST_C]["value"], got[INST_C]["amount"]) == (2, 150_000.5)
    assert (got[INST_A]["value"], got[INST_A]["amount"]) == (1, 10_000)
    assert (got[INST_B]["value"], got[INST_D]["value"]) == (0, 0)
    # A, B and C are county governments; D, a public institution, is alone in its group
    assert [got[u]["percentile"] for u in (INST_C, INST_A, INST_B)] == [83.3, 50.0, 16.7]
    assert (got[INST_D]["group"], got[INST_D]["percentile"]) == ("public_institution/county", 50.0)


def test_directives_implemented_late_by_institutions_and_officials(counted: Store) -> None:
    report = officials_report(counted, since=day("2025-01-01"), until=day("2025-12-31"))
    body = report.to_dict()
    assert _units(body, "directives_late", "institution")[INST_B]["value"] == 1
    officials = _units(body, "directives_late", "official")
    assert (officials[HEAD_A]["value"], officials[DEPUTY_A]["value"]) == (2, 0)
    assert len(officials[HEAD_A]["records"]) == 2


def test_the_report_says_it_is_information_only(counted: Store) -> None:
    body = officials_report(counted, only=["contract_defaults"]).to_dict()
    assert body["kind"] == "supervision.officials" and body["information_only"] is True
    assert "no list entry, measure or score" in body["notice"]
    assert [i["id"] for i in body["indicators"]] == ["contract_defaults"]
    assert body["period"] == {"since": "2025-03-03", "until": "2026-03-02"}
    assert (body["institutions"], body["officials"]) == (4, 3)
    assert body["policy_version"].startswith("national@")
    [ind] = body["indicators"]
    assert ind["formula"] == {"name": "record_count", "category": "government.contract_default",
                              "amount": "amount"}  # fmt: skip
    # the units with the highest values first, ties by identifier
    shown = [(u["value"], u["unit"]) for u in ind["units"]["institution"]]
    assert shown == [(1, INST_A), (1, INST_C), *sorted((0, u) for u in (INST_B, INST_D))]


def test_an_unknown_indicator_is_refused(counted: Store) -> None:
    with pytest.raises(InvalidOption, match="no indicator named bribes"):
        officials_report(counted, only=["bribes"])


def test_without_indicators_in_the_active_packs_nothing_is_computed(store: Store) -> None:
    packs = default_packs()
    national = packs[0]
    files = read_pack_files(national.path)
    files.pop("indicators.yaml")
    bare = load_pack_files(files, Path("national")).model_copy(
        update={"meta": national.meta.model_copy(update={"version": "2026.1-bare"})}
    )
    with store.writer() as conn:
        activate_in(conn, store.clock.now(), [bare], "without indicators")
    with pytest.raises(PolicyError, match="no active pack defines supervision indicators"):
        officials_report(store)
