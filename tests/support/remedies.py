"""Helpers shared by the remedies tests: subjects, records and moving the clock."""

from __future__ import annotations

import datetime as dt
from typing import Any

from socialcredit.clock import FixedClock, parse_instant
from socialcredit.enforcement.service import Enforcement
from socialcredit.ledger.record import record_id
from socialcredit.services.ingest import ingestor
from socialcredit.store.database import Store

from support.factories import ingest_on, judgment_default, org_id, person_id

DEBTOR = person_id(seq=51)
OTHER = person_id(seq=53)
FIRM = org_id(code="MA3C4D5E7")
CASE_NO = "(2026)鲁1082执51号"
OTHER_CASE = "(2026)鲁1082执53号"


def ingest(store: Store, *rows: dict[str, Any]) -> None:
    result = ingestor(store).ingest_dicts(rows)
    assert result.rejected == 0, result.errors


def move(store: Store, day: str) -> None:
    """10:00 in Beijing on ``day``."""
    clock = store.clock
    assert isinstance(clock, FixedClock)
    clock.set(f"{day}T02:00:00")


def at(day: str) -> dt.datetime:
    return parse_instant(day)


def rid(ref: str, provider: str = "spc.national") -> str:
    return record_id(provider, ref)


def listed_debtor(store: Store, occurred: str = "2026-01-05", subject: str = DEBTOR) -> str:
    """A judgment default (ground 3) reported on the day it ``occurred`` (the clock is
    put back afterwards): on the court list 30 days after ``occurred``."""
    case = CASE_NO if subject == DEBTOR else OTHER_CASE
    ingest_on(
        store,
        occurred,
        judgment_default(
            ref=case,
            subject=subject,
            occurred_at=occurred,
            attributes={"case_no": case, "amount": 8e4, "ground": "evades_enforcement"},
        ),
    )
    return rid(case)


def penalty(ref: str, occurred: str, subject: str = FIRM, **attrs: Any) -> dict[str, Any]:
    return {
        "provider": "samr.national",
        "ref": ref,
        "subject": subject,
        "category": "market.administrative_penalty",
        "occurred_at": occurred,
        "attributes": {"decision_no": ref, "penalty": "fine", "amount": 5000, **attrs},
    }


def dishonest(ref: str, occurred: str, subject: str = FIRM) -> dict[str, Any]:
    """A SAMR list ground: listed 10 days later for 3 years."""
    return {
        "provider": "samr.national",
        "ref": ref,
        "subject": subject,
        "category": "market.serious_illegal_dishonesty",
        "occurred_at": occurred,
        "attributes": {"decision_no": ref, "ground": "consumer_rights"},
    }


def outcome(enforcement: Enforcement, subject: str, action: str, day: str | None = None) -> str:
    """The full check's outcome, asserted equal to the index's fast path. The instant is
    explicit (the clock's now by default) so both paths read the same day."""
    enforcement.cache.refresh(force=True)
    when = at(day) if day else enforcement.store.clock.now()
    full = enforcement.check(subject, action, when).outcome
    assert enforcement.outcome(subject, action, when) == full
    return full
