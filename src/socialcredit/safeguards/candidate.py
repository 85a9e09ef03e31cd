"""The safeguards audit of a candidate: the packs that would be active after an activation.

``policy activate`` (the proposal) and ``policy approve`` run it, after the
lint, in the transaction that would store the proposal or activate it: the
candidate is the packs active now with the proposed versions in place of
their namesakes, read against the live store. It runs the audit's checks
that depend on the packs (:func:`socialcredit.safeguards.packs.check_packs`:
``lint``, ``protected``, ``basic_list``; an active version that no
longer loads counts) and one that depends on the packs and the store: no
live list entry may be left in force with no list of the candidate behind it
(``legal_basis``). Any violation refuses the whole activation
(:class:`socialcredit.errors.UnsafePolicy`, every violation listed); local
additions are listed for review, never refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import Connection, select

from socialcredit.clock import day_of, naive_utc
from socialcredit.errors import PolicyError, UnsafePolicy
from socialcredit.policy.pack import Pack
from socialcredit.policy.policy_set import PolicySet
from socialcredit.safeguards.findings import Checked, Violation, found
from socialcredit.safeguards.packs import check_packs, stored_packs
from socialcredit.store.tables import list_entries


def candidate_violations(
    conn: Connection, packs: Sequence[Pack], now: dt.datetime
) -> list[Violation]:
    """Every violation the candidate (the active packs with ``packs`` in place) would bring."""
    now = naive_utc(now)
    stored = stored_packs(conn, now)
    names = {p.name for p in packs}
    combined = {s.name: s.pack for s in stored if s.pack is not None}
    combined.update({p.name: p for p in packs})
    unloadable = [s for s in stored if s.pack is None and s.name not in names]
    candidate = [p for p in combined.values() if p is not None]
    checks = check_packs(candidate, unloadable)
    checks.extend(_orphans(conn, candidate, day_of(now)))
    return [v for _c, v in checks if v is not None and v.severity == "violation"]


def refuse_unsafe(conn: Connection, packs: Sequence[Pack], now: dt.datetime) -> None:
    """Raise :class:`UnsafePolicy` listing every violation the candidate would bring."""
    violations = candidate_violations(conn, packs, now)
    if violations:
        raise UnsafePolicy(
            f"the safeguards audit of the packs that would be active finds "
            f"{len(violations)} violation(s)",
            [v.text() for v in violations],
        )


def _orphans(conn: Connection, candidate: Sequence[Pack], day: dt.date) -> list[Checked]:
    """Live entries of lists the candidate no longer defines."""
    try:
        lists = set(PolicySet(candidate).lists)
    except PolicyError:
        return []  # the lint reports packs that do not combine
    c = list_entries.c
    rows = conn.execute(
        select(c.id, c.subject, c.list)
        .where(c.pending_from <= day, c.ends_on > day, c.list.not_in(sorted(lists)))
        .order_by(c.id)
    ).all()
    return [
        found(
            "legal_basis",
            entry,
            subject,
            f"would stay in force with no list {name} in the active packs",
            f"keep list {name} in the new version until its entries end",
        )
        for entry, subject, name in rows
    ]
