"""Ledgers for the shipped lists: the residence and registration records that place the
subjects, and the court defaulter and fulfilment records most list tests start from."""

from __future__ import annotations

from typing import Any

from socialcredit.engine.model import LedgerRecord

from support import engine
from support.packs import ORG, OTHER, PERSON

ELSEWHERE = OTHER  # lives in Beijing (area 110105)
FIRM = ORG  # registered in Rongcheng
DEFAULT = "judicial.judgment_default"
FULFILLED = "judicial.judgment_fulfilled"


class Ledger(engine.Ledger):
    """The engine tests' ledger with the residence and registration records that place
    PERSON and FIRM in Rongcheng and ELSEWHERE in Beijing."""

    def __init__(self) -> None:
        super().__init__()
        for who, area in ((PERSON, "371082"), (ELSEWHERE, "110105")):
            where = {"address": "1 Main St", "area": area, "since": "2010-01-01"}
            self.add("registry.residence", "2010-01-01", where, subject=who)
        firm = {"name": "Firm", "sector": "other", "area": "371082"}
        self.add("registry.enterprise", "2010-01-01", firm, subject=FIRM)

    def default(
        self, occurred: str, case: str = "C1", ground: str = "obstructs_enforcement", **kw: Any
    ) -> LedgerRecord:
        attrs = {"case_no": case, "ground": ground, **kw.pop("attrs", {})}
        return self.add(DEFAULT, occurred, attrs, **kw)

    def fulfilled(self, occurred: str, case: str = "C1", **kw: Any) -> LedgerRecord:
        return self.add(FULFILLED, occurred, {"case_no": case, "how": "paid_in_full"}, **kw)
