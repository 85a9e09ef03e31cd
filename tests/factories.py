"""Small builders for test records with valid identifiers."""

from __future__ import annotations

from typing import Any

from stdnum.cn import ric, uscc

PERSON = "11010519491231002X"


def person_id(area: str = "371082", birth: str = "19900512", seq: int = 3) -> str:
    body = f"{area}{birth}{seq:03d}"
    return body + ric.calc_check_digit(body + "0")


def org_id(dept: str = "9", kind: str = "1", area: str = "371082", code: str = "MA3C4D5E6") -> str:
    body = f"{dept}{kind}{area}{code}"
    return body + uscc.calc_check_digit(body)


def judgment_default(
    ref: str = "(2025)鲁1082执1号", subject: str = PERSON, **over: Any
) -> dict[str, Any]:
    rec: dict[str, Any] = {
        "provider": "spc.national",
        "ref": ref,
        "subject": subject,
        "category": "judicial.judgment_default",
        "occurred_at": "2025-03-01",
        "attributes": {"case_no": ref, "amount": 50000, "ground": "able_but_refuses"},
        "legal_basis": "Civil Procedure Law art. 262",
    }
    rec.update(over)
    return rec
