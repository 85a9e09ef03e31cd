"""List entries and decisions, as the check returns them (see docs/lists.md).

An entry's status is never stored: it is a function of its dates, its
suspensions and the day asked about (:meth:`ListEntry.on`). The
``list_entries`` table keeps an entry's dates without a status
(:meth:`ListEntry.stored`), and every reader derives the status for its own
day (:meth:`ListEntry.load`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Literal

import orjson
from pydantic import BaseModel, ConfigDict

from socialcredit.enforcement.paths import ObjectionPath

Effect = Literal["deny", "restrict", "review", "privilege", "discount"]
Outcome = Literal["allow", "deny", "restrict", "review", "privilege", "discount"]
# suspended: not in force while an objection is unanswered in time or a listing is
# suspended during an appeal (docs/remedies.md)
EntryStatus = Literal["pending", "active", "suspended", "ended"]
# strongest first: rewards never override punishments
PRECEDENCE: tuple[Outcome, ...] = ("deny", "restrict", "review", "privilege", "discount", "allow")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class Suspension(_Frozen):
    """A period an entry is not in force: ``start <= d < until`` (None: until further notice)."""

    start: dt.date
    until: dt.date | None
    case: str  # the objection case (remedy) behind it
    reason: Literal["objection", "appeal"]  # unanswered in time / suspended during appeal


def suspended_on(suspensions: Sequence[Suspension], day: dt.date) -> bool:
    return any(s.start <= day and (s.until is None or day < s.until) for s in suspensions)


def status_at(
    day: dt.date,
    pending_from: dt.date,
    effective_from: dt.date,
    end: dt.date,
    suspensions: Sequence[Suspension] = (),
) -> EntryStatus:
    """``ended`` from ``end``; before it ``suspended`` in a suspension, else ``active``
    from ``effective_from``, else ``pending``."""
    if day >= end:
        return "ended"
    if suspended_on(suspensions, day):
        return "suspended"
    return "active" if day >= effective_from else "pending"


class GroundFacts(_Frozen):
    """What the check and the report say about an entry's ground record without
    reading the ledger: its category, provider and day, and the act it is about."""

    record: str
    category: str
    provider: str
    occurred_at: dt.date
    case_key: str | None = None  # the category's case_key attribute (e.g. case_no)
    case_no: str | None = None  # its value: the case or decision number
    amount: float | None = None


class ListEntry(_Frozen):
    id: str  # "<list>:<subject>:<act key>"
    list: str
    kind: Literal["black", "red"]
    subject: str
    act_key: str
    ground_record: str | None  # record id (None for grade-based entries)
    supporting_records: tuple[str, ...] = ()
    authority: str
    legal_basis: str
    pending_from: dt.date
    effective_from: dt.date
    ends_at: dt.date
    removed_by: str | None = None  # record id (a removal record or a repair decision)
    end: dt.date  # min(ends_at, removal day, repair's effective day)
    status: EntryStatus
    pack: str
    suspensions: tuple[Suspension, ...] = ()  # docs/remedies.md: periods not in force
    ground: GroundFacts | None = None  # the ground record's facts (record-based entries)

    def on(self, day: dt.date) -> ListEntry:
        """This entry with its status on ``day``."""
        status = status_at(day, self.pending_from, self.effective_from, self.end, self.suspensions)
        return self if status == self.status else self.model_copy(update={"status": status})

    def stored(self) -> str:
        """The entry as the ``list_entries`` table keeps it: its dates, not a status."""
        return self.model_dump_json(exclude={"status"})

    @classmethod
    def load(cls, text: str | bytes, day: dt.date) -> ListEntry:
        """An entry read from the ``list_entries`` table, with its status on ``day``
        (a status stored by an older version is ignored)."""
        data: dict[str, Any] = orjson.loads(text)
        data.pop("status", None)
        data["status"] = "pending"  # replaced below: derived from the dates
        return cls.model_validate(data).on(day)


class AppliedMeasure(_Frozen):
    measure: str
    title: str
    effect: Effect
    condition: str | None
    legal_basis: str
    agencies: tuple[str, ...]
    entry: str  # list entry id
    list: str
    target: str  # 'subject' or the role through which it reaches the subject
    via: str | None = None  # the listed organisation, for role targets


class Ground(_Frozen):
    """A record a decision rests on, as the subject needs it to object: the case it is
    about, the amount, who reported it, and the exact command and call to contest it."""

    record: str
    entry: str  # the list entry it grounds
    list: str
    category: str
    case_key: str | None
    case_no: str | None
    amount: float | None
    occurred_at: dt.date
    provider: str
    provider_name: str | None
    objection: ObjectionPath


class Decision(_Frozen):
    subject: str
    action: str
    outcome: Outcome
    measures: tuple[AppliedMeasure, ...] = ()
    entries: tuple[ListEntry, ...] = ()
    records: tuple[str, ...] = ()
    grounds: tuple[Ground, ...] = ()  # each entry's ground record, and how to object to it
    legal_bases: tuple[str, ...] = ()
    policy_version: str
    at: dt.datetime
    known_at: dt.datetime
    purpose: str | None = None  # the relying party's stated purpose, when given
    reference: str | None = None  # its transaction reference, when given
