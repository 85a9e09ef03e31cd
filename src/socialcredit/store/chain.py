"""Appending to the hash chain.

Entry *n* stores ``hash_n = sha256(hash_{n-1} | seq | at | event | ref | payload)``
where ``payload`` is the canonical JSON of the event. Changing any byte of an
entry, or of a record an entry covers, breaks verification from that point.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from sqlalchemy import Connection, select

from socialcredit.store.bulk import db_datetime, insert_rows
from socialcredit.store.content import canonical_json
from socialcredit.store.tables import audit_log

GENESIS = "0" * 64


def entry_hash(
    prev_hash: str, seq: int, at: dt.datetime | str, event: str, ref: str | None, payload: str
) -> str:
    """``at`` as a datetime, or already in ISO form (a writer stamps many entries alike)."""
    stamp = at if isinstance(at, str) else at.isoformat()
    material = f"{prev_hash}\x1e{seq}\x1e{stamp}\x1e{event}\x1e{ref or ''}\x1e{payload}"
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


class AuditWriter:
    """Buffers audit entries inside one write transaction and inserts them together."""

    def __init__(self, conn: Connection, at: dt.datetime) -> None:
        self.conn = conn
        self.at = at
        self._stamp = at.isoformat()
        last = conn.execute(
            select(audit_log.c.seq, audit_log.c.hash).order_by(audit_log.c.seq.desc()).limit(1)
        ).first()
        self.seq = last.seq if last else 0
        self.hash = last.hash if last else GENESIS
        self._rows: list[tuple[Any, ...]] = []

    def append(self, event: str, ref: str | None, payload: dict[str, Any]) -> str:
        text = canonical_json(payload)
        self.seq += 1
        new_hash = entry_hash(self.hash, self.seq, self._stamp, event, ref, text)
        self._rows.append((self.seq, self.at, event, ref, text, self.hash, new_hash))
        self.hash = new_hash
        return new_hash

    def flush(self) -> None:
        if self._rows:
            at = db_datetime(self.conn, self.at)
            self._rows = [(r[0], at, *r[2:]) for r in self._rows]
            insert_rows(
                self.conn,
                "audit_log",
                ("seq", "at", "event", "ref", "payload", "prev_hash", "hash"),
                self._rows,
            )
            self._rows = []

    def __enter__(self) -> AuditWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is None:
            self.flush()
