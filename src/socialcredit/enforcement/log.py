"""The decision log: every non-allow decision, a sample of allows, and every check of a bulk
request (with its purpose and transaction reference), in the audit chain.

Checks are answered from memory; log entries are buffered and written in one
transaction (with one audit entry each) when the buffer is large or old
enough, and on close. Allows are counted per day, requester, action and
outcome.
"""

from __future__ import annotations

import datetime as dt
import random
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, select, update

from socialcredit.store.bulk import db_date, db_datetime, insert_rows
from socialcredit.store.chain import AuditWriter
from socialcredit.store.content import canonical_json
from socialcredit.store.database import Store
from socialcredit.store.tables import decision_counts, decision_log

_COLUMNS = (
    "seq",
    "decided_at",
    "requester",
    "subject",
    "action",
    "outcome",
    "sampled",
    "at",
    "known_at",
    "policy_version",
    "reasons",
    "purpose",
    "reference",
)


@dataclass
class LogItem:
    requester: str
    subject: str
    action: str
    outcome: str
    at: dt.datetime
    known_at: dt.datetime
    policy_version: str
    reasons: dict[str, Any]
    sampled: bool = False
    purpose: str | None = None  # the relying party's stated purpose
    reference: str | None = None  # its transaction reference


@dataclass
class DecisionLog:
    store: Store
    allow_sample_rate: float = 0.01
    flush_seconds: float = 1.0
    flush_size: int = 5000
    seed: int | None = None
    _items: list[LogItem] = field(default_factory=list)
    _counts: dict[tuple[dt.date, str, str, str], int] = field(default_factory=dict)
    _last_flush: float = field(default_factory=time.monotonic)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _rng: random.Random = field(init=False)

    background: bool = True
    _thread: threading.Thread | None = field(default=None, init=False)
    _stop: threading.Event = field(default_factory=threading.Event, init=False)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)
        if self.background:
            self._thread = threading.Thread(target=self._run, name="decision-log", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.flush_seconds):
            self.flush()

    def close(self) -> None:
        """Stop the background writer and write what is left."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
            self._thread = None
        self.flush()

    def count(self, day: dt.date, requester: str, action: str, outcome: str, n: int = 1) -> None:
        key = (day, requester, action, outcome)
        with self._lock:
            self._counts[key] = self._counts.get(key, 0) + n

    def sample_allow(self) -> bool:
        return self._rng.random() < self.allow_sample_rate

    def add(self, item: LogItem) -> None:
        self._items.append(item)
        # with a background writer the buffer is only a bound (back-pressure);
        # without one, flush when it is large or old enough
        if self.background:
            if len(self._items) >= self.flush_size * 20:  # the writer fell behind
                self.flush()
        elif len(self._items) >= self.flush_size or (
            time.monotonic() - self._last_flush >= self.flush_seconds
        ):
            self.flush()

    def maybe_flush(self) -> None:
        if self.background:
            return
        if time.monotonic() - self._last_flush >= self.flush_seconds and (
            self._items or self._counts
        ):
            self.flush()

    def flush(self) -> int:
        """Write what is buffered; return the number of log entries written."""
        with self._lock:
            items, self._items = self._items, []
            counts, self._counts = self._counts, {}
            self._last_flush = time.monotonic()
        if not items and not counts:
            return 0
        now = self.store.clock.now()
        with self.store.writer() as conn:
            last = conn.execute(
                select(decision_log.c.seq).order_by(decision_log.c.seq.desc()).limit(1)
            ).scalar()
            seq = int(last or 0)
            decided_at = db_datetime(conn, now)
            rows = []
            with AuditWriter(conn, now) as audit:
                for item in items:
                    seq += 1
                    reasons = canonical_json(item.reasons)
                    rows.append(
                        (
                            seq,
                            decided_at,
                            item.requester,
                            item.subject,
                            item.action,
                            item.outcome,
                            item.sampled,
                            db_datetime(conn, item.at),
                            db_datetime(conn, item.known_at),
                            item.policy_version,
                            reasons,
                            item.purpose,
                            item.reference,
                        )
                    )
                    audit.append(
                        "decision.logged",
                        str(seq),
                        {
                            "seq": seq,
                            "requester": item.requester,
                            "subject": item.subject,
                            "action": item.action,
                            "outcome": item.outcome,
                            "sampled": item.sampled,
                            "reasons": item.reasons,
                            "purpose": item.purpose,
                            "reference": item.reference,
                        },
                    )
                insert_rows(conn, "decision_log", _COLUMNS, rows)
            for (day, requester, action, outcome), n in counts.items():
                where = and_(
                    decision_counts.c.day == day,
                    decision_counts.c.requester == requester,
                    decision_counts.c.action == action,
                    decision_counts.c.outcome == outcome,
                )
                done = conn.execute(
                    update(decision_counts).where(where).values(n=decision_counts.c.n + n)
                )
                if done.rowcount == 0:
                    insert_rows(
                        conn,
                        "decision_counts",
                        ("day", "requester", "action", "outcome", "n"),
                        [(db_date(conn, day), requester, action, outcome, n)],
                    )
        return len(items)
