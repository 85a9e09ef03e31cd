"""Small builders for test records with valid identifiers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from stdnum.cn import ric, uscc

from socialcredit.clock import FixedClock
from socialcredit.ledger.registry import register_providers
from socialcredit.policy.pack import default_packs
from socialcredit.services.ingest import ingestor
from socialcredit.store.database import Store

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


def ingest_on(store: Store, day: str, *rows: dict[str, Any]) -> None:
    """Ingest ``rows`` through the standard ingestor as of ``day`` (10:00 in Beijing),
    then put the store's clock back where it was.

    A listing's notice runs from the day the platform learns of its ground
    (docs/lists.md, "Entries" step 3), so a record meant to be in force early must
    be ingested when it happened, not on the test's "now"."""
    clock = store.clock
    assert isinstance(clock, FixedClock)
    now = clock.now()
    when = dt.datetime.fromisoformat(f"{day}T02:00:00")
    assert when <= now, f"{day} is after the store's clock ({now.isoformat()})"
    clock.set(when)
    try:
        result = ingestor(store).ingest_dicts(rows)
    finally:
        clock.set(now)
    assert result.rejected == 0, result.errors


POLICE = {"id": "police.test", "kind": "police", "name": "公安局户籍", "jurisdiction": "national"}


def resident(
    store: Store,
    subject: str,
    area: str = "371082",
    since: str = "2010-01-01",
    born: str = "1990-05-12",
    day: str = "2026-01-02",
) -> None:
    """Place a person: a residence record (``area`` since ``since``) and the population
    registry's record with a date of birth, reported by a registered police provider
    on ``day`` -- what scheme scope and the lists read (docs/engine.md step 4)."""
    register_providers(store, [POLICE], default_packs())
    ref = f"{subject}-{since}"
    ingest_on(
        store,
        day,
        {
            "provider": POLICE["id"],
            "ref": f"res-{ref}",
            "subject": subject,
            "category": "registry.residence",
            "occurred_at": min(since, day),
            "attributes": {"address": "荣成市崖头街道", "area": area, "since": since},
        },
        {
            "provider": POLICE["id"],
            "ref": f"pop-{ref}",
            "subject": subject,
            "category": "registry.person",
            "occurred_at": min(since, day),
            "attributes": {"name": "张三", "birth_date": born},
        },
    )
