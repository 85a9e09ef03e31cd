"""Ledgers of plain records for the incremental engine, and its assessment of one subject."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from socialcredit.engine.incremental import RoleRecords, evaluate_subject
from socialcredit.engine.model import Assessment, LedgerRecord, SchemeAssessment, SubjectRef
from socialcredit.ledger.record import record_id
from socialcredit.policy.policy_set import PolicySet

from support.packs import PERSON, instant


class Ledger:
    """Builds LedgerRecords with increasing seq."""

    def __init__(self) -> None:
        self.records: list[LedgerRecord] = []

    def add(
        self,
        category: str,
        occurred: str,
        attributes: dict[str, Any] | None = None,
        *,
        subject: SubjectRef = PERSON,
        recorded: str = "2020-01-01T00:00:00",
        supersedes: LedgerRecord | None = None,
        withdrawn: bool = False,
    ) -> LedgerRecord:
        seq = len(self.records) + 1
        rec = LedgerRecord(
            seq=seq,
            id=record_id("test", f"r{seq}"),
            provider="test",
            subject=subject.id,
            category=category,
            occurred_at=dt.date.fromisoformat(occurred),
            recorded_at=dt.datetime.fromisoformat(recorded),
            attributes=attributes or {},
            supersedes=supersedes.id if supersedes else None,
            withdrawn=withdrawn,
        )
        self.records.append(rec)
        return rec

    def of(self, subject: SubjectRef) -> list[LedgerRecord]:
        return [r for r in self.records if r.subject == subject.id]


def assess(
    policy: PolicySet,
    records: Sequence[LedgerRecord],
    on: str = "2026-03-01",
    *,
    subject: SubjectRef = PERSON,
    known_at: dt.datetime | None = None,
    roles: Sequence[RoleRecords] = (),
    explain: bool = True,
) -> Assessment:
    return evaluate_subject(
        policy, subject, records, instant(on), known_at, roles=roles, explain=explain
    )


def scheme_of(a: Assessment, name: str = "s") -> SchemeAssessment:
    return a.schemes[name]


def score(policy: PolicySet, records: Sequence[LedgerRecord], on: str = "2026-03-01") -> float:
    result = scheme_of(assess(policy, records, on))
    assert result.score_units is not None
    return result.score_units / 10_000
