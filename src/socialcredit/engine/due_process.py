"""Step 3 of docs/engine.md: suspensions and repairs (docs/remedies.md, "Effect on the engines").

Due-process steps are records of the subject they concern (``remedy.*``,
reported by the platform). From the subject's records effective by steps 1-2
on a day ``d`` this module derives:

* **holds** -- per record id, the periods in which the record is suspended:
  from the day after an objection's ``answer_by`` until the day of the
  provider's answer (open while unanswered); from the day a listing is
  suspended during an appeal until the day the appeal is decided (open until
  then). A record is suspended on ``d`` when ``d`` lies in one of them; this
  is exactly the per-day rule of docs/remedies.md, because only records with
  ``occurred_at <= d`` take part.
* **repairs** -- per record id and per list entry id, the earliest accepted
  repair: the ``remedy.repair_decided`` (outcome ``accepted``) whose case's
  ``remedy.repair_applied`` names the record in ``target`` (or the entry in
  ``entry``), with its ``effective`` day and the decision's record id.

A step names its case by the ``ref`` of the filing record (``case``); a step
and its filing are matched on subject, provider and that ref.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from socialcredit.engine.model import LedgerRecord

OBJECTION_FILED = "remedy.objection_filed"
PROVIDER_ANSWERED = "remedy.provider_answered"
LISTING_SUSPENDED = "remedy.listing_suspended"
APPEAL_DECIDED = "remedy.appeal_decided"
REPAIR_APPLIED = "remedy.repair_applied"
REPAIR_DECIDED = "remedy.repair_decided"
# the remedy categories that change what is effective (the others record steps only)
ENGINE_CATEGORIES = frozenset(
    {
        OBJECTION_FILED,
        PROVIDER_ANSWERED,
        LISTING_SUSPENDED,
        APPEAL_DECIDED,
        REPAIR_APPLIED,
        REPAIR_DECIDED,
    }
)


@dataclass(frozen=True, slots=True)
class Hold:
    """A period in which a record is suspended: ``start <= d < until`` (None: open)."""

    record: str
    start: dt.date
    until: dt.date | None
    case: str
    reason: str  # 'objection' (unanswered in time) or 'appeal' (listing suspended)

    def covers(self, day: dt.date) -> bool:
        return self.start <= day and (self.until is None or day < self.until)


@dataclass(frozen=True, slots=True)
class Repair:
    """An accepted repair: the record or entry stops counting from ``effective``."""

    effective: dt.date
    decision: str  # record id of the remedy.repair_decided record
    case: str


@dataclass(frozen=True)
class DueProcess:
    holds: dict[str, tuple[Hold, ...]] = field(default_factory=dict)
    repairs: dict[str, Repair] = field(default_factory=dict)  # by target record id
    entry_repairs: dict[str, Repair] = field(default_factory=dict)  # by list entry id

    def hold_on(self, record: str, day: dt.date) -> Hold | None:
        """The hold suspending ``record`` on ``day`` (the earliest one), if any."""
        for hold in self.holds.get(record, ()):
            if hold.covers(day):
                return hold
        return None

    def split(self, records: Sequence[LedgerRecord], day: dt.date) -> SplitRecords:
        """``records`` into those effective on ``day`` and those suspended (with their hold)."""
        if not self.holds:
            return SplitRecords(list(records), [])
        kept: list[LedgerRecord] = []
        held: list[tuple[LedgerRecord, Hold]] = []
        for r in records:
            hold = self.hold_on(r.id, day) if r.id in self.holds else None
            if hold is None:
                kept.append(r)
            else:
                held.append((r, hold))
        return SplitRecords(kept, held)


@dataclass(frozen=True)
class SplitRecords:
    effective: list[LedgerRecord]
    suspended: list[tuple[LedgerRecord, Hold]]


NONE = DueProcess()


def _date(value: object) -> dt.date | None:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _first(days: Iterable[dt.date]) -> dt.date | None:
    return min(days, default=None)


def due_process(records: Iterable[LedgerRecord]) -> DueProcess:
    """Holds and repairs from a subject's records effective by steps 1-2 on some day."""
    steps = [r for r in records if r.category in ENGINE_CATEGORIES]
    if not steps:
        return NONE
    filings: dict[tuple[str, str], LedgerRecord] = {}
    by_case: dict[tuple[str, str], list[LedgerRecord]] = {}
    for r in steps:
        if r.category in (OBJECTION_FILED, REPAIR_APPLIED):
            filings[(r.provider, r.ref)] = r
        else:
            case = r.attributes.get("case")
            if isinstance(case, str):
                by_case.setdefault((r.provider, case), []).append(r)
    holds: dict[str, list[Hold]] = {}
    repairs: dict[str, Repair] = {}
    entry_repairs: dict[str, Repair] = {}
    for key, filing in filings.items():
        target = filing.attributes.get("target")
        if not isinstance(target, str):
            continue
        if filing.category == OBJECTION_FILED:
            hold = _objection_hold(filing, target, by_case.get(key, []))
            if hold is not None:
                holds.setdefault(target, []).append(hold)
            continue
        repair = _repair(filing, by_case.get(key, []))
        if repair is not None:
            _keep_earliest(repairs, target, repair)
            entry = filing.attributes.get("entry")
            if isinstance(entry, str):
                _keep_earliest(entry_repairs, entry, repair)
    for r in steps:
        if r.category == LISTING_SUSPENDED:
            hold = _appeal_hold(r, by_case.get((r.provider, str(r.attributes.get("case"))), []))
            if hold is not None:
                holds.setdefault(hold.record, []).append(hold)
    return DueProcess(
        holds={k: tuple(sorted(v, key=lambda h: h.start)) for k, v in holds.items() if v},
        repairs=repairs,
        entry_repairs=entry_repairs,
    )


def _objection_hold(filing: LedgerRecord, target: str, later: list[LedgerRecord]) -> Hold | None:
    """Unanswered objection: suspended from the day after ``answer_by`` to the answer."""
    answer_by = _date(filing.attributes.get("answer_by"))
    if answer_by is None:
        return None
    start = answer_by + dt.timedelta(days=1)
    answered = _first(r.occurred_at for r in later if r.category == PROVIDER_ANSWERED)
    if answered is not None and answered <= start:
        return None
    return Hold(target, start, answered, filing.ref, "objection")


def _appeal_hold(suspended: LedgerRecord, later: list[LedgerRecord]) -> Hold | None:
    """Listing suspended during an appeal: from its day to the appeal decision."""
    target = suspended.attributes.get("target")
    case = suspended.attributes.get("case")
    if not isinstance(target, str) or not isinstance(case, str):
        return None
    decided = _first(r.occurred_at for r in later if r.category == APPEAL_DECIDED)
    if decided is not None and decided <= suspended.occurred_at:
        return None
    return Hold(target, suspended.occurred_at, decided, case, "appeal")


def _repair(filing: LedgerRecord, later: list[LedgerRecord]) -> Repair | None:
    accepted = [
        r
        for r in later
        if r.category == REPAIR_DECIDED
        and r.attributes.get("outcome") == "accepted"
        and _date(r.attributes.get("effective")) is not None
    ]
    if not accepted:
        return None
    first = min(accepted, key=lambda r: (_date(r.attributes.get("effective")), r.seq))
    effective = _date(first.attributes.get("effective"))
    assert effective is not None
    return Repair(effective, first.id, filing.ref)


def _keep_earliest(found: dict[str, Repair], key: str, repair: Repair) -> None:
    current = found.get(key)
    if current is None or repair.effective < current.effective:
        found[key] = repair


__all__ = [
    "ENGINE_CATEGORIES",
    "NONE",
    "DueProcess",
    "Hold",
    "Repair",
    "SplitRecords",
    "due_process",
]
