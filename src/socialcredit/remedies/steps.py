"""Case steps as ledger records: building them, naming cases, appending them.

Every step is a ``remedy.*`` record reported by the platform's own provider
(``platform.remedies``) about the subject the case concerns, appended through
the ordinary ingestion path with the enforcement hook, so list entries and the
index are re-derived in the same transaction. A case id is the ``ref`` of its
filing record (``OBJ-``, ``REP-`` or ``JUS-<yyyymmdd>-<12 hex>``: the
filing day and 48 random bits, so that nobody can count cases or guess another
subject's case id); the other steps have the ref ``<case>/<step>``, so the
ledger's uniqueness of (provider, ref) also refuses a step taken twice.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from sqlalchemy import Connection, select

from socialcredit.engine.ledger_view import ledger_record
from socialcredit.engine.model import LedgerRecord
from socialcredit.errors import NotFound, RecordConflict, RecordRejected
from socialcredit.ledger.hinted import return_to_pool
from socialcredit.ledger.ingest import Ingestor
from socialcredit.ledger.record import Record
from socialcredit.ledger.record import record_id as id_of
from socialcredit.store.database import Store
from socialcredit.store.tables import records

PLATFORM = "platform.remedies"
OBJECTION_FILED = "remedy.objection_filed"
OBJECTION_ACCEPTED = "remedy.objection_accepted"
PROVIDER_ANSWERED = "remedy.provider_answered"
OBJECTION_DECIDED = "remedy.objection_decided"
APPEAL_FILED = "remedy.appeal_filed"
LISTING_SUSPENDED = "remedy.listing_suspended"
APPEAL_DECIDED = "remedy.appeal_decided"
REPAIR_APPLIED = "remedy.repair_applied"
REPAIR_DECIDED = "remedy.repair_decided"
JUSTIFICATION_REQUESTED = "remedy.justification_requested"
JUSTIFICATION_ANSWERED = "remedy.justification_answered"
JUSTIFICATION_DECIDED = "remedy.justification_decided"
FILINGS = {OBJECTION_FILED: "OBJ", REPAIR_APPLIED: "REP", JUSTIFICATION_REQUESTED: "JUS"}
_RETRIES = 8
T = TypeVar("T")


def get_record(conn: Connection, record_id: str) -> LedgerRecord:
    row = conn.execute(select(records).where(records.c.id == record_id)).first()
    if row is None:
        raise NotFound(f"no record {record_id!r} in the ledger", field="record")
    return ledger_record(row._mapping)


def by_ref(conn: Connection, provider: str, ref: str) -> LedgerRecord | None:
    row = conn.execute(select(records).where(records.c.id == id_of(provider, ref))).first()
    return None if row is None else ledger_record(row._mapping)


def remedy_records(conn: Connection, subject: str | None = None) -> list[LedgerRecord]:
    """The platform's remedy records (of one subject), in ledger order."""
    stmt = select(records).where(
        records.c.provider == PLATFORM, records.c.category.like("remedy.%")
    )
    if subject is not None:
        stmt = stmt.where(records.c.subject == subject)
    return [ledger_record(r._mapping) for r in conn.execute(stmt.order_by(records.c.seq))]


def superseded_by(conn: Connection, record_id: str) -> LedgerRecord | None:
    """The first record that supersedes ``record_id`` (a correction or a withdrawal)."""
    row = conn.execute(
        select(records).where(records.c.supersedes == record_id).order_by(records.c.seq).limit(1)
    ).first()
    return None if row is None else ledger_record(row._mapping)


def head_of(conn: Connection, record: LedgerRecord) -> LedgerRecord:
    """The latest version of a record: follow corrections to the end of the chain."""
    current = record
    for _ in range(1000):
        nxt = superseded_by(conn, current.id)
        if nxt is None:
            return current
        current = nxt
    return current


def new_case_id(prefix: str, day: dt.date) -> str:
    """``<prefix>-<yyyymmdd>-<12 hex digits>``: the filing day and a random part (a
    sequential number would let anyone who can ask about cases count them)."""
    return f"{prefix}-{day:%Y%m%d}-{secrets.token_hex(6)}"


def step(
    subject: str,
    category: str,
    ref: str,
    day: dt.date,
    attributes: dict[str, Any],
    legal_basis: str | None = None,
) -> dict[str, Any]:
    """A remedy record as ingestion takes it (dates as ISO text, no empty values)."""
    attrs = {
        k: (v.isoformat() if isinstance(v, dt.date) else v)
        for k, v in attributes.items()
        if v is not None
    }
    row: dict[str, Any] = {
        "provider": PLATFORM,
        "ref": ref,
        "subject": subject,
        "category": category,
        "occurred_at": day.isoformat(),
        "attributes": attrs,
    }
    if legal_basis:
        row["legal_basis"] = legal_basis
    return row


def append(ledger: Ingestor, rows: Sequence[dict[str, Any]]) -> list[Record]:
    """Append records in one transaction, all or none, through the ingestor the caller
    hands in (the one with the enforcement hook: :func:`socialcredit.services.ingest.ingestor`);
    a link undone among them returns its record to the unresolved pool in that
    transaction (:func:`socialcredit.ledger.hinted.return_to_pool`)."""
    return ledger.ingest_atomic(rows, within=return_to_pool)


def file_case(store: Store, prefix: str, day: dt.date, build: Callable[[str], T]) -> T:
    """Name a new case and append what ``build(case_id)`` returns through ``append``;
    an id already taken (a collision of the random part) is drawn again."""
    for _ in range(_RETRIES):
        case_id = new_case_id(prefix, day)
        try:
            return build(case_id)
        except RecordRejected as exc:
            if not isinstance(exc, RecordConflict):
                raise
    raise RecordConflict(f"could not name a new {prefix} case")


__all__ = [
    "PLATFORM",
    "append",
    "by_ref",
    "file_case",
    "get_record",
    "head_of",
    "new_case_id",
    "remedy_records",
    "step",
    "superseded_by",
]
