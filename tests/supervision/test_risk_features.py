"""The features of a hand-made ledger at a cut-off, with known answers: only what was
known by then, only the subject's own records, the outcome only after it."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pyarrow as pa

from socialcredit.engine.batch import write_snapshot
from socialcredit.policy.pack import default_packs
from socialcredit.policy.supervision import effective
from socialcredit.supervision.risk.features import NEVER_MONTHS, Categories, read_frame

CUT = dt.date(2025, 6, 30)
ANNA, BING, FIRM = "110105199001010011", "110105199001010022", "91110000100000000X"


def _rec(seq: int, subject: str, category: str, occurred: str, *, reported: str | None = None,
         recorded: str = "2026-12-01T00:00:00", withdrawn: bool = False,
         supersedes: str | None = None, **attrs: Any) -> dict[str, Any]:  # fmt: skip
    return {"seq": seq, "id": f"r{seq}", "provider": "p", "subject": subject,
            "category": category, "occurred_at": dt.date.fromisoformat(occurred),
            "recorded_at": dt.datetime.fromisoformat(recorded), "attributes": json.dumps(attrs),
            "supersedes": supersedes, "withdrawn": withdrawn,
            "reported_at": dt.date.fromisoformat(reported or occurred)}  # fmt: skip


RECORDS = [
    _rec(1, ANNA, "registry.person", "1990-01-01", reported="2021-01-01", name="安娜"),
    _rec(2, BING, "registry.person", "1990-01-01", reported="2021-01-01", name="冰"),
    _rec(3, FIRM, "registry.enterprise", "2010-01-01", reported="2021-01-01", name="某公司",
         sector="retail", registered_capital=999.0),
    _rec(4, ANNA, "tax.arrears", "2024-03-01", amount=1000.0),  # in the last 2 years
    _rec(5, ANNA, "tax.arrears", "2022-03-01", amount=1000.0),  # older than 2 years
    _rec(6, ANNA, "judicial.judgment_default", "2025-05-31", amount=5000.0),
    # occurred before the cut-off but reported and recorded after it: not yet known
    _rec(7, ANNA, "transport.traffic_violation", "2025-06-01", reported="2025-08-01"),
    # withdrawn before the cut-off: counts nowhere
    _rec(8, BING, "tax.arrears", "2024-01-01", amount=50.0),
    _rec(9, BING, "tax.arrears", "2024-01-01", supersedes="r8", withdrawn=True,
         reported="2024-02-01", amount=50.0),
    # Bing's loan defaults after the cut-off: 2 months overdue is no serious default,
    # Firm's 4 months is; Anna's evasion comes after the horizon
    _rec(10, BING, "finance.loan_default", "2025-09-01", months_overdue=2, amount=1.0,
         contract="loan", contract_no="c1"),
    _rec(11, FIRM, "finance.loan_default", "2026-01-15", months_overdue=4, amount=1.0,
         contract="loan", contract_no="c2"),
    _rec(12, ANNA, "tax.evasion", "2026-08-01", amount=1.0, decision_no="d"),
    _rec(13, BING, "civic.blood_donation", "2025-01-01"),
]  # fmt: skip


def _frame(tmp_path: Path) -> dict[str, dict[str, Any]]:
    table = pa.Table.from_pylist(RECORDS)
    subjects = pa.Table.from_pylist(
        [
            {"id": ANNA, "kind": "person"},
            {"id": BING, "kind": "person"},
            {"id": FIRM, "kind": "enterprise"},
        ]
    )
    snap = write_snapshot(tmp_path, dt.datetime(2026, 12, 2), {"records": table,
                                                               "subjects": subjects})  # fmt: skip
    packs = default_packs()
    cats = {n: c for p in packs for n, c in p.categories.items()}
    frame = read_frame(snap, CUT, Categories.of(cats), effective(packs).risk)
    out = {}
    for i, subject in enumerate(frame.subject):
        row = {n: frame.column(n)[i] for n in ("adverse_2y", "adverse_all", "serious_all",
               "months_since_adverse", "judicial_all", "commercial_all", "social_all",
               "defaults_all", "judgments_unperformed", "rewards_all", "capital")}  # fmt: skip
        row["defaulted"] = bool(frame.defaulted[i])
        row["kind"] = frame.kind[i]
        out[subject] = row
    return out


def test_counts_recency_and_amounts_known_at_the_cut_off(tmp_path: Path) -> None:
    anna = _frame(tmp_path)[ANNA]
    assert anna["adverse_all"] == 3  # the traffic violation was not known yet
    assert anna["adverse_2y"] == 2  # the naive baseline: 2024 arrears and the default
    assert anna["serious_all"] == 1 and anna["judicial_all"] == 1
    assert anna["commercial_all"] == 2 and anna["social_all"] == 0
    assert anna["defaults_all"] == 1 and anna["judgments_unperformed"] == 1
    assert anna["months_since_adverse"] == 1  # 31 May to 30 June
    assert anna["capital"] == -1  # a person has no registered capital


def test_a_withdrawn_record_counts_nowhere_and_good_deeds_count(tmp_path: Path) -> None:
    bing = _frame(tmp_path)[BING]
    assert bing["adverse_all"] == 0 and bing["months_since_adverse"] == NEVER_MONTHS
    assert bing["rewards_all"] == 1


def test_the_outcome_is_a_serious_default_in_the_horizon_after_the_cut_off(tmp_path: Path) -> None:
    frame = _frame(tmp_path)
    assert frame[FIRM]["defaulted"]  # a loan 4 months overdue, in the horizon
    assert not frame[BING]["defaulted"]  # 2 months overdue is not serious
    assert not frame[ANNA]["defaulted"]  # her tax evasion falls after the horizon
    assert frame[FIRM]["kind"] == "enterprise"
    assert round(frame[FIRM]["capital"], 3) == 6.908  # ln(1 + 999)
