"""The README's worked example of the Rongcheng scheme holds."""

from __future__ import annotations

import datetime as dt

from socialcredit.engine.incremental import evaluate_subject
from socialcredit.engine.model import LedgerRecord, SubjectRef
from socialcredit.policy.pack import default_packs
from socialcredit.policy.policy_set import PolicySet

from support.factories import person_id

RESIDENT = person_id(area="371082", birth="19900512", seq=41)


def _record(seq: int, category: str, day: str, attributes: dict[str, object]) -> LedgerRecord:
    return LedgerRecord(
        seq=seq,
        id=f"r{seq}",
        provider="p",
        subject=RESIDENT,
        category=category,
        occurred_at=dt.date.fromisoformat(day),
        recorded_at=dt.datetime.fromisoformat(day + "T02:00:00"),
        attributes=attributes,
        supersedes=None,
        withdrawn=False,
    )


def test_the_worked_example() -> None:
    policy = PolicySet(default_packs())
    records = [
        _record(1, "registry.consent", "2025-12-01", {"scheme": "rongcheng", "given": True}),
        _record(4, "registry.residence", "2020-04-01", {"area": "371082", "since": "2020-04-01"}),
        _record(5, "registry.person", "2020-04-01", {"name": "张三", "birth_date": "1990-05-12"}),
        _record(
            2,
            "finance.loan_default",
            "2026-01-10",
            {"contract_no": "L-1", "contract": "loan", "amount": 5000.0, "months_overdue": 3},
        ),
        _record(3, "civic.blood_donation", "2026-03-01", {"volume_ml": 400}),
    ]
    subject = SubjectRef(RESIDENT, "person")
    june = evaluate_subject(policy, subject, records, dt.datetime(2026, 6, 1, 4))
    rc = june.schemes["rongcheng"]
    assert (rc.score, rc.grade) == (985, "A")
    # a year after the breach it no longer counts
    later = evaluate_subject(policy, subject, records, dt.datetime(2027, 1, 11, 4))
    after = later.schemes["rongcheng"]
    assert after.score == 1005  # the donation still counts, the breach does not
    assert [e.category for e in after.expired] == ["finance.loan_default"]
