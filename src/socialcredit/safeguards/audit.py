"""The safeguards audit: does the live state keep the safeguards of DESIGN.md?

:func:`audit_safeguards` checks, at ``now``, in groups (one module each):

* the active packs as stored (:mod:`socialcredit.safeguards.packs`):
  ``protected``, ``lint`` and ``basic_list`` (one run of the structural lint
  that ``policy validate`` uses, split by what each finding is about; a stored
  version that does not load is a ``lint`` violation), ``local_additions``
  (listed for review, not failing) and ``scope`` (:mod:`socialcredit.safeguards.scope`);
* every live black-list entry (pending or in force today)
  (:mod:`socialcredit.safeguards.entries`): ``legal_basis``, ``explanation``,
  ``notice``, ``delivery`` (:mod:`socialcredit.safeguards.delivery`),
  ``objection_path``, ``end_date``; its term within its measures' Basic List
  items (``basic_list``, :mod:`socialcredit.safeguards.basic_list`); and, with
  the live red-list entries, ``timing`` (:mod:`socialcredit.safeguards.timing`);
* the measures the enforcement index applies today (``basic_list``);
* ``consent`` (:mod:`socialcredit.safeguards.consent`), ``red_list``
  (:mod:`socialcredit.safeguards.red_list`), ``stale``
  (:mod:`socialcredit.safeguards.stale`) and ``overdue``
  (:mod:`socialcredit.safeguards.overdue`);
* every non-allow decision logged in the last ``days`` days -- ``explanation``
  (it names measures and list entries) and ``legal_basis`` (it states legal
  bases, and every measure and entry it names has one).

Decisions answered from the in-memory index (``Enforcement.outcome``, bulk
screening) are logged with measure names only: the audit reports them under
``explanation`` and ``legal_basis``, as it should.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from contextlib import contextmanager

import orjson
from sqlalchemy import select

from socialcredit.clock import day_of, naive_utc
from socialcredit.enforcement.model import ListEntry
from socialcredit.errors import PolicyError
from socialcredit.ledger.policy_store import policy_at
from socialcredit.ledger.registry import authorisations
from socialcredit.policy.law.allowlists import shipped_law
from socialcredit.policy.policy_set import PolicySet
from socialcredit.safeguards.basic_list import check_enforced, check_entry_term
from socialcredit.safeguards.consent import check_consent
from socialcredit.safeguards.entries import check_decision, check_entry
from socialcredit.safeguards.facts import entry_facts, live_entries
from socialcredit.safeguards.findings import (
    CHECKS,
    CheckCount,
    SafeguardsAudit,
    Violation,
    found,
)
from socialcredit.safeguards.overdue import check_overdue
from socialcredit.safeguards.packs import check_packs, stored_packs
from socialcredit.safeguards.red_list import check_red_list
from socialcredit.safeguards.scope import check_scope
from socialcredit.safeguards.stale import LIMIT, check_stale
from socialcredit.safeguards.timing import check_timing, known_days, list_since
from socialcredit.store.database import Store
from socialcredit.store.tables import decision_log

DEFAULT_DAYS = 30

__all__ = [
    "CHECKS",
    "DEFAULT_DAYS",
    "CheckCount",
    "SafeguardsAudit",
    "Violation",
    "audit_safeguards",
    "undelivered_notices",
]


@contextmanager
def _timed(result: SafeguardsAudit, group: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        result.seconds[group] = result.seconds.get(group, 0.0) + time.perf_counter() - start


def audit_safeguards(
    store: Store,
    days: int = DEFAULT_DAYS,
    now: dt.datetime | None = None,
    stale_limit: int = LIMIT,
) -> SafeguardsAudit:
    """Check the live state against the safeguards; see the module docstring."""
    now = naive_utc(store.clock.now() if now is None else now)
    result = SafeguardsAudit(at=now, days=days)
    law = shipped_law()
    day = day_of(now)
    with store.reader() as conn:
        with _timed(result, "packs"):
            stored = stored_packs(conn, now)
            loaded = [s.pack for s in stored if s.pack is not None]
            result.packs = tuple(f"{s.name}@{s.version}" for s in stored)
            result.record(check_packs(loaded, [s for s in stored if s.pack is None], law))
            try:
                policy = PolicySet(loaded) if stored else policy_at(conn, now)[0]
            except PolicyError as exc:
                result.record(
                    [found("lint", "active packs", None, f"they do not combine: {exc.message}")]
                )
                return result
        graded: list[ListEntry] = []  # live entries of grade-based lists (consent)
        placed: list[ListEntry] = []  # live black-list entries (scope)
        with _timed(result, "entries"):
            authorised = authorisations(conn)
            since = list_since(conn, now)
            for batch in live_entries(conn, day):
                facts = entry_facts(conn, batch, now, policy, authorised)
                known = known_days(conn, {e.ground_record for e in batch if e.ground_record})
                for entry in batch:
                    result.entries += 1
                    result.record(check_entry(entry, facts))
                    result.record(check_entry_term(entry, policy, law))
                    result.record([check_timing(entry, since, known)])
                graded.extend(e for e in batch if e.ground_record is None)
                placed.extend(batch)
            red = [e for batch in live_entries(conn, day, "red") for e in batch]
            known = known_days(conn, {e.ground_record for e in red if e.ground_record})
            result.record(check_timing(e, since, known) for e in red)
            result.record(check_enforced(conn, day, policy, law))
        with _timed(result, "consent"):
            grade_red = [e for e in red if e.ground_record is None]
            result.record(check_consent(conn, now, policy, [*graded, *grade_red]))
        with _timed(result, "scope"):
            result.record(check_scope(conn, now, policy, [*placed, *red]))
        with _timed(result, "red_list"):
            result.record(check_red_list(conn, now, policy, red))
        with _timed(result, "stale"):
            stale, note = check_stale(conn, now, policy, stale_limit)
            result.record(stale)
            if note is not None:
                result.notes.append(note)
        with _timed(result, "decisions"):
            since_day = now - dt.timedelta(days=days)
            rows = conn.execute(
                select(
                    decision_log.c.seq,
                    decision_log.c.subject,
                    decision_log.c.outcome,
                    decision_log.c.reasons,
                )
                .where(decision_log.c.decided_at >= since_day, decision_log.c.outcome != "allow")
                .order_by(decision_log.c.seq)
            )
            for row in rows:
                result.decisions += 1
                result.record(
                    check_decision(row.seq, row.subject, row.outcome, orjson.loads(row.reasons))
                )
    with _timed(result, "overdue"):
        try:
            result.record(check_overdue(store))
        except PolicyError:  # the deadlines come from the packs: `lint` reports why
            result.notes.append("overdue: not checked: the active packs do not load")
    return result


def undelivered_notices(store: Store, now: dt.datetime | None = None) -> list[Violation]:
    """The live black-list entries whose listing notice was not delivered to the subject
    by the day the listing took effect (the audit's ``delivery`` check, alone)."""
    now = naive_utc(store.clock.now() if now is None else now)
    out: list[Violation] = []
    with store.reader() as conn:
        policy, _note = policy_at(conn, now)
        authorised = authorisations(conn)
        for batch in live_entries(conn, day_of(now)):
            facts = entry_facts(conn, batch, now, policy, authorised)
            for entry in batch:
                out.extend(v for check, v in check_entry(entry, facts) if check == "delivery" and v)
    return out
