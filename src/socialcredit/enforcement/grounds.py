"""When the platform learnt that a record-based entry applies, and what ends it.

docs/lists.md ("Entries", step 3): notice runs from the day the platform could
give it. That is the recorded day of the entry's ground -- of the earliest
version in its chain of corrections that was already a ground of the same
entry (:func:`known_since`) -- or, when a removal that had ended the entry
before it took effect is later corrected or withdrawn, the recorded day of
that correction (:func:`revived_on`): the subject learns of a listing that
now applies then, and gets the full notice period from then (a court's
suspension of enforcement corrected into a guarantee, say, revives the
defaulter listing; SPC Provisions on the List of Dishonest Judgment Defaulters
art. 10 and Guobanfa [2020] No. 49 on notice before listing).

:func:`removals_of` collects the records that can end entries of a list, by
act key (``match: act``) and the subject's own (``match: subject``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from socialcredit.clock import day_of
from socialcredit.engine.model import LedgerRecord
from socialcredit.engine.records import act_key
from socialcredit.policy.lists import ListDef
from socialcredit.policy.predicate import evaluate


def known_since(
    ground: LedgerRecord,
    key: str,
    versions: dict[str, LedgerRecord],
    ground_key: Callable[[LedgerRecord], str | None],
) -> dt.date:
    """The day the platform learnt of ``ground`` as a ground of this entry: the recorded
    day of the earliest version in its chain of corrections (``supersedes``) that was
    already a ground of the same subject and act key. A correction does not restart
    the notice period; a correction that makes a record a ground does."""
    first, seen = ground, {ground.id}
    while first.supersedes is not None and first.supersedes not in seen:
        prior = versions.get(first.supersedes)
        if (
            prior is None
            or prior.withdrawn
            or prior.subject != ground.subject
            or ground_key(prior) != key
        ):
            break
        seen.add(prior.id)
        first = prior
    return day_of(first.recorded_at)


@dataclass(frozen=True)
class Removals:
    """The records that can end entries: by act key (``match: act``), and the subject's
    own (``match: subject``), each list earliest first."""

    by_act: dict[str, list[LedgerRecord]]
    any_of_subject: list[LedgerRecord]

    def ending(self, key: str, grounds: list[LedgerRecord]) -> list[LedgerRecord]:
        """The records ending the entry of ``key`` resting on ``grounds``: those about
        the same act on or after the ground's day, and later records of the subject
        (after the ground by day, then ``seq``; never a ground itself)."""
        ground = grounds[0]
        found = [r for r in self.by_act.get(key, ()) if r.occurred_at >= ground.occurred_at]
        own = {g.id for g in grounds}
        found.extend(
            r
            for r in self.any_of_subject
            if r.id not in own and (r.occurred_at, r.seq) > (ground.occurred_at, ground.seq)
        )
        return found

    def first(self, key: str, grounds: list[LedgerRecord]) -> LedgerRecord | None:
        """The earliest record ending the entry (see :meth:`ending`)."""
        return min(self.ending(key, grounds), key=lambda r: (r.occurred_at, r.seq), default=None)


def removals_of(
    ld: ListDef, records: Iterable[LedgerRecord], case_keys: dict[str, str | None]
) -> Removals:
    """The removal records of a list among ``records``."""
    by_act: dict[str, list[LedgerRecord]] = {}
    subject_wide: list[LedgerRecord] = []
    for rule in ld.removal:
        wanted = set(rule.categories)
        for r in records:
            if r.category not in wanted or not evaluate(rule.when, r.attributes):
                continue
            if rule.match == "subject":
                subject_wide.append(r)
            else:
                by_act.setdefault(act_key(r, case_keys.get(r.category)), []).append(r)
    return Removals(by_act, subject_wide)


def revived_on(
    revoked: Removals,
    key: str,
    grounds: list[LedgerRecord],
    versions: dict[str, LedgerRecord],
    effective_from: dt.date,
) -> dt.date | None:
    """The latest day a removal that had ended the entry before ``effective_from`` (the
    day it would take effect) stopped counting -- the recorded day of the correction or
    withdrawal that superseded it -- or None. ``revoked`` holds removal records of
    earlier versions, no longer current."""
    successors: dict[str, dt.datetime] = {}
    for r in versions.values():
        if r.supersedes is not None:
            seen = successors.get(r.supersedes)
            successors[r.supersedes] = r.recorded_at if seen is None else min(seen, r.recorded_at)
    days = [
        day_of(successors[r.id])
        for r in revoked.ending(key, grounds)
        if r.id in successors and r.occurred_at < effective_from
    ]
    return max(days, default=None)
