"""Appending to the hash chain.

Entry *n* stores ``hash_n = sha256(hash_{n-1} | seq | at | event | ref | payload)``
where ``payload`` is the canonical JSON of the event. Changing any byte of an
entry, or of a record an entry covers, breaks verification from that point.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from sqlalchemy import Connection, insert, select

from socialcredit.ledger.record import canonical_json
from socialcredit.ledger.tables import audit_log

GENESIS = "0" * 64


def entry_hash(prev_hash: str, seq: int, at: dt.datetime, event: str, ref: str | None,
               payload: str) -> str:
    material = "\x1e".join([prev_hash, str(seq), at.isoformat(), event, ref or "", payload])
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


class AuditWriter:
    """Buffers audit entries inside one write transaction and inserts them together."""

    def __init__(self, conn: Connection, at: dt.datetime) -> None:
        self.conn = conn
        self.at = at
        last = conn.execute(
            select(audit_log.c.seq, audit_log.c.hash).order_by(audit_log.c.seq.desc()).limit(1)
        ).first()
        self.seq = last.seq if last else 0
        self.hash = last.hash if last else GENESIS
        self._rows: list[dict[str, Any]] = []

    def append(self, event: str, ref: str | None, payload: dict[str, Any]) -> str:
        text = canonical_json(payload)
        self.seq += 1
        new_hash = entry_hash(self.hash, self.seq, self.at, event, ref, text)
        self._rows.append(
            {"seq": self.seq, "at": self.at, "event": event, "ref": ref, "payload": text,
             "prev_hash": self.hash, "hash": new_hash}
        )
        self.hash = new_hash
        return new_hash

    def flush(self) -> None:
        if self._rows:
            self.conn.execute(insert(audit_log), self._rows)
            self._rows = []

    def __enter__(self) -> AuditWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is None:
            self.flush()
