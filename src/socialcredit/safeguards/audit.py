"""The safeguards audit: does the live state keep the safeguards of DESIGN.md?

:func:`audit_safeguards` checks, at ``now``:

* every live black-list entry (pending or in force today) —
  ``legal_basis`` (the list, the entry and every measure it triggers cite
  one), ``explanation`` (its ground record exists and is effective),
  ``notice`` (a notice of the listing was created before the entry took
  effect; for a list with a lawful zero notice period, ``zero_notice_basis``,
  a notice exists), ``delivery`` (that notice reached the subject -- a
  consented address or the platform mailbox -- before the day the listing took
  effect, or on it for a lawful zero notice period:
  :mod:`socialcredit.safeguards.delivery`), ``objection_path`` (the
  ground's provider, who must answer an objection, is registered and still
  authorised for the category) and
  ``end_date`` (the entry ends, and lasts no longer than the list's longest
  term);
* every non-allow decision logged in the last ``days`` days —
  ``explanation`` (it names measures and list entries) and ``legal_basis``
  (it states legal bases, and every measure and entry it names has one);
* the active packs — ``protected``: the safeguards lint
  (:func:`socialcredit.policy.lint.lint_packs`) finds no category, attribute
  or rule about a protected ground.

Decisions answered from the in-memory index (``Enforcement.outcome``, bulk
screening) are logged with measure names only: the audit reports them under
``explanation`` and ``legal_basis``, as it should.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import orjson
from sqlalchemy import Connection, select

from socialcredit.enforcement.model import ListEntry
from socialcredit.engine.incremental import day_of, naive_utc
from socialcredit.ledger.bulk import select_in
from socialcredit.ledger.policy_store import active_packs, load_version, policy_at
from socialcredit.ledger.registry import authorisations
from socialcredit.ledger.store import Store
from socialcredit.ledger.tables import decision_log, list_entries
from socialcredit.policy.lint import lint_packs
from socialcredit.policy.policy_set import PolicySet
from socialcredit.safeguards.delivery import first_deliveries
from socialcredit.safeguards.entries import (
    EntryFacts,
    GroundRecord,
    Violation,
    check_decision,
    check_entry,
)

CHECKS = (
    "legal_basis",
    "explanation",
    "notice",
    "delivery",
    "objection_path",
    "end_date",
    "protected",
)
DEFAULT_DAYS = 30
CHUNK = 2000


@dataclass
class CheckCount:
    checked: int = 0
    violations: int = 0


@dataclass
class SafeguardsAudit:
    at: dt.datetime
    days: int
    entries: int = 0  # live black-list entries checked
    decisions: int = 0  # non-allow decisions checked
    packs: tuple[str, ...] = ()
    counts: dict[str, CheckCount] = field(default_factory=lambda: {c: CheckCount() for c in CHECKS})
    violations: list[Violation] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.violations

    def record(self, results: Iterable[tuple[str, Violation | None]]) -> None:
        for check, violation in results:
            count = self.counts[check]
            count.checked += 1
            if violation is not None:
                count.violations += 1
                self.violations.append(violation)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "at": self.at.isoformat(),
            "days": self.days,
            "entries": self.entries,
            "decisions": self.decisions,
            "packs": list(self.packs),
            "checks": {
                name: {"checked": c.checked, "violations": c.violations}
                for name, c in self.counts.items()
            },
            "violations": [v.to_dict() for v in self.violations],
        }


def audit_safeguards(
    store: Store, days: int = DEFAULT_DAYS, now: dt.datetime | None = None
) -> SafeguardsAudit:
    """Check the live state against the safeguards; see the module docstring."""
    now = naive_utc(store.clock.now() if now is None else now)
    result = SafeguardsAudit(at=now, days=days)
    with store.reader() as conn:
        policy, _note = policy_at(conn, now)
        packs = [load_version(conn, a.digest) for a in active_packs(conn, now)]
        result.packs = tuple(f"{p.name}@{p.version}" for p in packs)
        protected = [p for p in lint_packs(packs) if "protected" in p]
        for pack in packs:
            mine = [p for p in protected if p.startswith(f"{pack.name}: ")]
            result.record(
                [("protected", Violation("protected", f"pack {pack.name}", None, p)) for p in mine]
                or [("protected", None)]
            )
        authorised = authorisations(conn)
        for batch in _live_black_entries(conn, day_of(now)):
            facts = _facts(conn, batch, now, policy, authorised)
            for entry in batch:
                result.entries += 1
                result.record(check_entry(entry, facts))
        since = now - dt.timedelta(days=days)
        rows = conn.execute(
            select(
                decision_log.c.seq,
                decision_log.c.subject,
                decision_log.c.outcome,
                decision_log.c.reasons,
            )
            .where(decision_log.c.decided_at >= since, decision_log.c.outcome != "allow")
            .order_by(decision_log.c.seq)
        )
        for row in rows:
            result.decisions += 1
            result.record(
                check_decision(row.seq, row.subject, row.outcome, orjson.loads(row.reasons))
            )
    return result


def undelivered_notices(store: Store, now: dt.datetime | None = None) -> list[Violation]:
    """The live black-list entries whose listing notice was not delivered to the subject
    by the day the listing took effect (the audit's ``delivery`` check, alone)."""
    now = naive_utc(store.clock.now() if now is None else now)
    out: list[Violation] = []
    with store.reader() as conn:
        policy, _note = policy_at(conn, now)
        authorised = authorisations(conn)
        for batch in _live_black_entries(conn, day_of(now)):
            facts = _facts(conn, batch, now, policy, authorised)
            for entry in batch:
                out.extend(v for check, v in check_entry(entry, facts) if check == "delivery" and v)
    return out


def _live_black_entries(conn: Connection, day: dt.date) -> Iterator[list[ListEntry]]:
    """Pending and in-force black-list entries, in pages of ``CHUNK`` (keyset on id)."""
    c = list_entries.c
    after = ""
    while True:
        rows = conn.execute(
            select(c.id, c.status_basis)
            .where(c.kind == "black", c.pending_from <= day, c.ends_on > day, c.id > after)
            .order_by(c.id)
            .limit(CHUNK)
        ).all()
        if not rows:
            return
        after = rows[-1].id
        yield [ListEntry.load(r.status_basis, day) for r in rows]


def _facts(
    conn: Connection,
    entries: list[ListEntry],
    now: dt.datetime,
    policy: PolicySet,
    authorised: dict[str, frozenset[str]],
) -> EntryFacts:
    ground_ids = {e.ground_record for e in entries if e.ground_record}
    replaced = {
        r[0]
        for r in select_in(conn, "records", ("supersedes", "recorded_at"), "supersedes", ground_ids)
        if _instant(r[1]) <= now
    }
    grounds = {
        r[0]: GroundRecord(r[0], r[1], r[2], _day(r[3]), r[0] in replaced, bool(r[4]))
        for r in select_in(
            conn,
            "records",
            ("id", "provider", "category", "occurred_at", "withdrawn", "recorded_at"),
            "id",
            ground_ids,
        )
        if _instant(r[5]) <= now
    }
    notices: dict[str, list[tuple[str, str, dt.date, dt.datetime]]] = {}
    notice_ids: dict[str, list[tuple[str, str, str, dt.date]]] = {}
    for notice, ref, kind, recipient, effective_on, created_at in select_in(
        conn,
        "notices",
        ("id", "ref", "kind", "recipient", "effective_on", "created_at"),
        "ref",
        {e.id for e in entries},
    ):
        notices.setdefault(ref, []).append(
            (kind, recipient, _day(effective_on), _instant(created_at))
        )
        notice_ids.setdefault(ref, []).append((notice, kind, recipient, _day(effective_on)))
    delivered = first_deliveries(conn, {n for found in notice_ids.values() for n, *_rest in found})
    graded = [e for e in entries if e.ground_record is None]
    grades, grade_notices = _grades(conn, {e.subject for e in graded}) if graded else ({}, {})
    return EntryFacts(
        policy,
        day_of(now),
        grounds,
        notices,
        authorised,
        grades,
        grade_notices,
        notice_ids,
        delivered,
    )


def _grades(
    conn: Connection, subjects: set[str]
) -> tuple[dict[tuple[str, str], str | None], dict[tuple[str, str], list[dt.datetime]]]:
    """Current grades of these subjects, and their grade_low notices, by (subject, scheme)."""
    grades = {
        (r[0], r[1]): r[2]
        for r in select_in(conn, "assessments", ("subject", "scheme", "grade"), "subject", subjects)
    }
    found: dict[tuple[str, str], list[dt.datetime]] = {}
    for subject, kind, ref, created_at in select_in(
        conn, "notices", ("subject", "kind", "ref", "created_at"), "subject", subjects
    ):
        if kind == "grade_low":
            scheme = str(ref).rsplit(":", 1)[0]
            found.setdefault((subject, scheme), []).append(_instant(created_at))
    return grades, found


def _day(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _instant(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return naive_utc(value)
    return dt.datetime.fromisoformat(str(value))
