"""Cases: objection and repair state machines, read back from the ledger.

A case is the filing record and the steps naming it in ``case``. Its state
is the state of its latest step; a step is legal only from the states the
machine allows:

    objection:     filed -> accepted -> answered -> decided -> appealed -> appeal_decided
    repair:        applied -> decided
    justification: requested -> answered -> decided

(a justification request is about a judge's decided case that deviates from what its
facts predict: the court explains it, a reviewer finds it justified or not;
docs/supervision.md)
A listing may be suspended while an appeal is pending: that records a step
without changing the state. Each open case has a next action, the party that
must take it and its deadline; a deadline is the last day to act, so a case
is overdue from the day after it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Connection

from socialcredit.clock import today
from socialcredit.engine.ledger_view import locate, locate_many
from socialcredit.engine.model import LedgerRecord
from socialcredit.ledger.policy_store import policy_at
from socialcredit.policy.remedies import RemedySettings
from socialcredit.remedies import steps as s
from socialcredit.remedies.errors import CaseNotFound, InvalidTransition, WrongCaseKind
from socialcredit.remedies.pack_settings import settings_for
from socialcredit.store.database import Store

CaseKind = Literal["objection", "repair", "justification"]
KIND_OF: dict[str, CaseKind] = {
    s.OBJECTION_FILED: "objection",
    s.REPAIR_APPLIED: "repair",
    s.JUSTIFICATION_REQUESTED: "justification",
}
STATE_OF = {
    s.OBJECTION_FILED: "filed",
    s.OBJECTION_ACCEPTED: "accepted",
    s.PROVIDER_ANSWERED: "answered",
    s.OBJECTION_DECIDED: "decided",
    s.APPEAL_FILED: "appealed",
    s.APPEAL_DECIDED: "appeal_decided",
    s.REPAIR_APPLIED: "applied",
    s.REPAIR_DECIDED: "decided",
    s.JUSTIFICATION_REQUESTED: "requested",
    s.JUSTIFICATION_ANSWERED: "answered",
    s.JUSTIFICATION_DECIDED: "decided",
}
TRANSITIONS: dict[CaseKind, dict[str, tuple[str, ...]]] = {
    "objection": {
        "filed": ("accepted",),
        "accepted": ("answered",),
        "answered": ("decided",),
        "decided": ("appealed",),
        "appealed": ("appeal_decided",),
        "appeal_decided": (),
    },
    "repair": {"applied": ("decided",), "decided": ()},
    "justification": {"requested": ("answered",), "answered": ("decided",), "decided": ()},
}
NOUNS: dict[CaseKind, str] = {
    "objection": "an objection",
    "repair": "a repair application",
    "justification": "a justification request",
}
CLOSED: dict[CaseKind, tuple[str, ...]] = {
    "objection": ("decided", "appeal_decided"),
    "repair": ("decided",),
    "justification": ("decided",),
}


@dataclass(frozen=True)
class Step:
    category: str
    state: str | None  # None for steps that do not change the state (listing suspended)
    record: str
    ref: str
    on: dt.date
    attributes: dict[str, Any]


@dataclass(frozen=True)
class NextAction:
    action: str
    who: str  # 'subject', 'provider:<id>' or a reviewer role
    deadline: dt.date | None
    optional: bool = False

    def overdue(self, day: dt.date) -> bool:
        return not self.optional and self.deadline is not None and day > self.deadline


@dataclass(frozen=True)
class Case:
    id: str
    kind: CaseKind
    subject: str
    state: str
    target: str  # the record contested or to be repaired
    entry: str | None
    provider: str | None  # objections: who must answer
    filed_on: dt.date
    steps: tuple[Step, ...]

    @property
    def filing(self) -> Step:
        return self.steps[0]

    def last(self, category: str) -> Step | None:
        return next((x for x in reversed(self.steps) if x.category == category), None)

    def attr(self, category: str, name: str) -> Any:
        found = self.last(category)
        return None if found is None else found.attributes.get(name)

    def date(self, category: str, name: str) -> dt.date | None:
        value = self.attr(category, name)
        return dt.date.fromisoformat(value) if isinstance(value, str) else None

    @property
    def suspended(self) -> bool:
        """Whether the listing is suspended now: a pending appeal with a suspension."""
        return self.state == "appealed" and self.last(s.LISTING_SUSPENDED) is not None

    @property
    def outcome(self) -> str | None:
        for category in (
            s.APPEAL_DECIDED,
            s.OBJECTION_DECIDED,
            s.REPAIR_DECIDED,
            s.JUSTIFICATION_DECIDED,
        ):
            value = self.attr(category, "outcome")
            if isinstance(value, str):
                return value
        return None

    def require(self, to: str) -> None:
        """Raise :class:`InvalidTransition` unless the machine allows ``state -> to``."""
        allowed = TRANSITIONS[self.kind].get(self.state, ())
        if to not in allowed:
            nxt = f"; next: {', '.join(allowed)}" if allowed else "; the case is closed"
            raise InvalidTransition(
                f"case {self.id} is {self.state}: it cannot become {to}{nxt}", field="case"
            )

    def next_action(self, settings: RemedySettings, day: dt.date) -> NextAction | None:
        """What must happen next, by whom and by when; None once the case is closed."""
        roles = settings.reviewers
        if self.kind == "justification":
            return self._justification_next()
        if self.kind == "repair":
            if self.state != "applied":
                return None
            return NextAction("decide", roles.repair, self.date(s.REPAIR_APPLIED, "decide_by"))
        deadlines = {
            "filed": ("accept", roles.objection, self.date(s.OBJECTION_FILED, "accept_by")),
            "accepted": ("answer", f"provider:{self.provider}", self.date_of("answer_by")),
            "answered": ("decide", roles.objection, self.date_of("review_by")),
            "appealed": ("decide appeal", roles.appeal, self.date(s.APPEAL_FILED, "decide_by")),
        }
        if self.state in deadlines:
            action, who, deadline = deadlines[self.state]
            return NextAction(action, who, deadline)
        appeal_by = self.date(s.OBJECTION_DECIDED, "appeal_by")
        if self.state == "decided" and appeal_by is not None and day <= appeal_by:
            return NextAction("appeal", "subject", appeal_by, optional=True)
        return None

    def _justification_next(self) -> NextAction | None:
        """The court explains by ``answer_by``; the role the request names decides by
        ``review_by`` (both set at the request)."""
        if self.state == "requested":
            due = self.date(s.JUSTIFICATION_REQUESTED, "answer_by")
            return NextAction("justify", f"provider:{self.provider}", due)
        if self.state == "answered":
            role = str(self.attr(s.JUSTIFICATION_REQUESTED, "reviewer"))
            return NextAction("decide", role, self.date(s.JUSTIFICATION_REQUESTED, "review_by"))
        return None

    def date_of(self, name: str) -> dt.date | None:
        return self.date(s.OBJECTION_FILED, name)

    def to_dict(self, settings: RemedySettings, day: dt.date) -> dict[str, Any]:
        nxt = self.next_action(settings, day)
        return {
            "case": self.id,
            "kind": self.kind,
            "subject": self.subject,
            "state": self.state,
            "open": nxt is not None,
            "target": self.target,
            "entry": self.entry,
            "provider": self.provider,
            "filed_on": self.filed_on.isoformat(),
            "outcome": self.outcome,
            "listing_suspended": self.suspended,
            "next": None
            if nxt is None
            else {
                "action": nxt.action,
                "who": nxt.who,
                "deadline": nxt.deadline.isoformat() if nxt.deadline else None,
                "optional": nxt.optional,
                "overdue": nxt.overdue(day),
            },
            "steps": [
                {
                    "category": x.category,
                    "state": x.state,
                    "record": x.record,
                    "ref": x.ref,
                    "on": x.on.isoformat(),
                    "attributes": x.attributes,
                }
                for x in self.steps
            ],
        }


def build(filing: LedgerRecord, later: Iterable[LedgerRecord]) -> Case:
    kind = KIND_OF[filing.category]
    steps = [_step(filing)] + [_step(r) for r in later]
    state = next(x.state for x in reversed(steps) if x.state is not None)
    provider = filing.attributes.get("provider")
    return Case(
        id=filing.ref,
        kind=kind,
        subject=filing.subject,
        state=state,
        target=str(filing.attributes.get("target")),
        entry=filing.attributes.get("entry"),
        provider=provider if isinstance(provider, str) else None,
        filed_on=filing.occurred_at,
        steps=tuple(steps),
    )


def _step(r: LedgerRecord) -> Step:
    return Step(r.category, STATE_OF.get(r.category), r.id, r.ref, r.occurred_at, r.attributes)


def _current(found: list[LedgerRecord]) -> list[LedgerRecord]:
    replaced = {r.supersedes for r in found if r.supersedes}
    return [r for r in found if not r.withdrawn and r.id not in replaced]


def cases_of(found: list[LedgerRecord]) -> list[Case]:
    """Every case among remedy records, in filing order."""
    current = _current(found)
    later: dict[str, list[LedgerRecord]] = {}
    for r in current:
        case = r.attributes.get("case")
        if isinstance(case, str) and r.category not in s.FILINGS:
            later.setdefault(case, []).append(r)
    return [build(f, later.get(f.ref, [])) for f in current if f.category in s.FILINGS]


def load_case(conn: Connection, case_id: str, kind: CaseKind | None = None) -> Case:
    """The case; with ``kind``, refused (``wrong_case_kind``) unless it is of that kind.

    Every step names the kind it belongs to: the machines share state names
    (``answered``, ``decided``), so without it an objection's decision could be
    recorded on a justification request -- and withdraw the judge's decision record."""
    filing = s.by_ref(conn, s.PLATFORM, case_id)
    if filing is None or filing.category not in s.FILINGS:
        raise CaseNotFound(f"no case {case_id!r}", field="case")
    for case in cases_of(s.remedy_records(conn, filing.subject)):
        if case.id == case_id:
            if kind is not None and case.kind != kind:
                raise WrongCaseKind(
                    f"case {case.id} is {NOUNS[case.kind]}, not {NOUNS[kind]}", field="case"
                )
            return case
    raise CaseNotFound(f"case {case_id!r} was withdrawn", field="case")


def open_cases(conn: Connection, subject: str, target: str, kind: CaseKind) -> list[Case]:
    """The open cases of a kind about one record of a subject."""
    found = cases_of(s.remedy_records(conn, subject))
    return [
        c for c in found if c.kind == kind and c.target == target and c.state not in CLOSED[kind]
    ]


@dataclass(frozen=True)
class CaseView:
    """A case with the settings of its subject and the day it is seen on."""

    case: Case
    settings: RemedySettings
    day: dt.date

    @property
    def next(self) -> NextAction | None:
        return self.case.next_action(self.settings, self.day)

    def to_dict(self) -> dict[str, Any]:
        return self.case.to_dict(self.settings, self.day)


def view(store: Store, conn: Connection, case: Case) -> CaseView:
    policy, _ = policy_at(conn, store.clock.now())
    area = locate(conn, store.clock.now())(case.subject)
    return CaseView(case, settings_for(policy, area), today(store.clock))


def show(store: Store, case_id: str) -> CaseView:
    with store.reader() as conn:
        return view(store, conn, load_case(conn, case_id))


def cases(
    store: Store,
    overdue: bool = False,
    *,
    kind: CaseKind | None = None,
    who: str | None = None,
    subject: str | None = None,
) -> list[CaseView]:
    """Open cases with their next action, who must take it and its deadline.

    ``overdue``: only those past their deadline; ``who``: only those waiting for
    that party (``provider:<id>``, a reviewer role or ``subject``)."""
    day = today(store.clock)
    with store.reader() as conn:
        policy, _ = policy_at(conn, store.clock.now())
        found = cases_of(s.remedy_records(conn, subject))
        areas = locate_many(conn, [case.subject for case in found], store.clock.now())
    out: list[CaseView] = []
    for case in found:
        item = CaseView(case, settings_for(policy, areas[case.subject]), day)
        nxt = item.next
        if nxt is None or (kind is not None and case.kind != kind):
            continue
        if (overdue and not nxt.overdue(day)) or (who is not None and nxt.who != who):
            continue
        out.append(item)
    out.sort(key=lambda v: v.next.deadline if v.next and v.next.deadline else dt.date.max)
    return out


__all__ = [
    "CLOSED",
    "KIND_OF",
    "NOUNS",
    "TRANSITIONS",
    "Case",
    "CaseView",
    "NextAction",
    "Step",
    "build",
    "cases",
    "cases_of",
    "load_case",
    "open_cases",
    "show",
    "view",
]
