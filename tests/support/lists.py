"""Ledgers for the shipped lists: the residence and registration records that place the
subjects, and the court defaulter and fulfilment records most list tests start from."""

from __future__ import annotations

import datetime as dt
from typing import Any

from socialcredit.engine.model import LedgerRecord, SubjectRef
from socialcredit.ledger.record import record_id

from support.packs import ORG, OTHER, PERSON, day

ELSEWHERE = OTHER  # lives in Beijing (area 110105)
FIRM = ORG  # registered in Rongcheng
DEFAULT = "judicial.judgment_default"
FULFILLED = "judicial.judgment_fulfilled"


class Ledger:
    """Builds LedgerRecords with increasing seq; the residence and registration
    records place PERSON and FIRM in Rongcheng and ELSEWHERE in Beijing."""

    def __init__(self) -> None:
        self.records: list[LedgerRecord] = []
        for who, area in ((PERSON, "371082"), (ELSEWHERE, "110105")):
            where = {"address": "1 Main St", "area": area, "since": "2010-01-01"}
            self.add("registry.residence", "2010-01-01", where, subject=who)
        firm = {"name": "Firm", "sector": "other", "area": "371082"}
        self.add("registry.enterprise", "2010-01-01", firm, subject=FIRM)

    def add(
        self,
        category: str,
        occurred: str,
        attributes: dict[str, Any],
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
            occurred_at=day(occurred),
            recorded_at=dt.datetime.fromisoformat(recorded),
            attributes=attributes,
            supersedes=supersedes.id if supersedes else None,
            withdrawn=withdrawn,
        )
        self.records.append(rec)
        return rec

    def default(
        self, occurred: str, case: str = "C1", ground: str = "obstructs_enforcement", **kw: Any
    ) -> LedgerRecord:
        attrs = {"case_no": case, "ground": ground, **kw.pop("attrs", {})}
        return self.add(DEFAULT, occurred, attrs, **kw)

    def fulfilled(self, occurred: str, case: str = "C1", **kw: Any) -> LedgerRecord:
        return self.add(FULFILLED, occurred, {"case_no": case, "how": "paid_in_full"}, **kw)

    def of(self, subject: SubjectRef) -> list[LedgerRecord]:
        return [r for r in self.records if r.subject == subject.id]
