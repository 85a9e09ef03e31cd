"""Verifying the chain: recompute every entry, and every record it covers."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import Connection, select

from socialcredit.store.chain import GENESIS, entry_hash
from socialcredit.store.content import content_hash
from socialcredit.store.tables import audit_log, records

RECORD_EVENT = "record.appended"


@dataclass(frozen=True)
class Verification:
    entries: int
    records: int
    ok: bool
    broken_at: int | None = None
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "entries": self.entries,
            "records": self.records,
            "broken_at": self.broken_at,
            "reason": self.reason,
        }


def _stream(conn: Connection, stmt: Any) -> Iterator[Any]:
    result = conn.execution_options(yield_per=10_000).execute(stmt)
    yield from result


def verify(conn: Connection) -> Verification:
    """Walk the chain in order; stop at the first entry or record that does not check."""
    prev = GENESIS
    entries = 0
    rec_rows = _stream(conn, select(records).order_by(records.c.seq))
    n_records = 0
    rows = _stream(conn, select(audit_log).order_by(audit_log.c.seq))
    for expected_seq, row in enumerate(rows, start=1):
        entries += 1
        if row.seq != expected_seq:
            return Verification(
                entries, n_records, False, expected_seq, f"entry {expected_seq} is missing"
            )
        if row.prev_hash != prev:
            return Verification(
                entries, n_records, False, row.seq, "previous-hash link does not match"
            )
        if entry_hash(prev, row.seq, row.at, row.event, row.ref, row.payload) != row.hash:
            return Verification(entries, n_records, False, row.seq, "entry hash does not match")
        prev = row.hash
        if row.event == RECORD_EVENT:
            payload = orjson.loads(row.payload)
            rec = next(rec_rows, None)
            n_records += 1
            problem = _check_record(rec, payload)
            if problem:
                return Verification(entries, n_records, False, row.seq, problem)
    extra = next(rec_rows, None)
    if extra is not None:
        return Verification(
            entries, n_records, False, None, f"record {extra.seq} is not covered by the audit chain"
        )
    return Verification(entries, n_records, True)


def _check_record(rec: Any, payload: dict[str, Any]) -> str | None:
    if rec is None or rec.seq != payload["seq"]:
        return f"record {payload['seq']} is missing from the ledger"
    recomputed = content_hash(
        provider=rec.provider,
        ref=rec.ref,
        subject=rec.subject,
        category=rec.category,
        occurred_at=rec.occurred_at,
        reported_at=rec.reported_at,
        attributes=rec.attributes,
        legal_basis=rec.legal_basis,
        supersedes=rec.supersedes,
        withdrawn=bool(rec.withdrawn),
    )
    if recomputed != payload["content_hash"] or rec.content_hash != payload["content_hash"]:
        return f"record {rec.seq} ({rec.provider} {rec.ref}) was altered"
    if rec.id != payload["id"] or rec.recorded_at.isoformat() != payload["recorded_at"]:
        return f"record {rec.seq} ({rec.provider} {rec.ref}) was altered"
    return None
