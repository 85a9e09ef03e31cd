"""Appeals: once, within ``appeal_by`` of the objection decision, to a second reviewer.

The listing stays in force during the appeal (SPC practice) unless the appeal
reviewer suspends it (``remedy.listing_suspended``): the contested record then
takes no effect until the appeal is decided (docs/remedies.md). ``overturned``
reverses the objection decision: the record's current version is withdrawn by
its provider -- or corrected, when a correction is given -- in the decision's
transaction; ``upheld`` leaves everything as the objection decision left it.
"""

from __future__ import annotations

from typing import Any, Literal

from socialcredit.clock import today
from socialcredit.ledger.ingest import Ingestor
from socialcredit.remedies import steps as s
from socialcredit.remedies.cases import CaseView, load_case, show
from socialcredit.remedies.deadlines import appeal_decide_by
from socialcredit.remedies.errors import (
    AlreadyAppealed,
    DeadlinePassed,
    InvalidTransition,
    NotContestable,
)
from socialcredit.remedies.pack_settings import settings_of
from socialcredit.remedies.targets import carry_out, entries_resting_on

AppealOutcome = Literal["upheld", "overturned"]
APPEAL_OUTCOMES: tuple[AppealOutcome, ...] = ("upheld", "overturned")


def file_appeal(
    ledger: Ingestor, case_id: str, grounds: str, evidence: str | None = None
) -> CaseView:
    """Appeal an objection decision: only once, and by its ``appeal_by`` day."""
    store = ledger.store
    day = today(store.clock)
    with store.reader() as conn:
        case = load_case(conn, case_id, "objection")
        if case.state in ("appealed", "appeal_decided"):
            raise AlreadyAppealed(f"case {case.id} has already been appealed", field="case")
        case.require("appealed")
        appeal_by = case.date(s.OBJECTION_DECIDED, "appeal_by")
        if appeal_by is not None and day > appeal_by:
            raise DeadlinePassed(
                f"the decision on {case.id} could be appealed until {appeal_by}", field="case"
            )
        d = settings_of(conn, store.clock.now(), case.subject).deadlines
    attributes = {
        "case": case.id,
        "grounds": grounds,
        "evidence": evidence,
        "decide_by": appeal_decide_by(d, day),
    }
    s.append(ledger, [s.step(case.subject, s.APPEAL_FILED, f"{case.id}/appeal", day, attributes)])
    return show(store, case.id)


def suspend_listing(
    ledger: Ingestor, case_id: str, decided_by: str, reasons: str | None = None
) -> CaseView:
    """The appeal reviewer suspends the listing resting on the contested record until
    the appeal is decided."""
    store = ledger.store
    day = today(store.clock)
    with store.reader() as conn:
        case = load_case(conn, case_id, "objection")
        if case.state != "appealed":
            raise InvalidTransition(
                f"case {case.id} is {case.state}: a listing is suspended only while an "
                "appeal is pending",
                field="case",
            )
        if case.suspended:
            raise InvalidTransition(f"the listing of case {case.id} is already suspended")
        head = s.head_of(conn, s.get_record(conn, case.target))
        if head.id != case.target:
            raise NotContestable(f"record {case.target} has been corrected or withdrawn")
        if not any(e.end > day for e in entries_resting_on(conn, case.subject, case.target, day)):
            raise NotContestable(f"no listing rests on record {case.target}", field="case")
    attributes = {
        "case": case.id,
        "target": case.target,
        "decided_by": decided_by,
        "reasons": reasons,
    }
    row = s.step(case.subject, s.LISTING_SUSPENDED, f"{case.id}/suspended", day, attributes)
    s.append(ledger, [row])
    return show(store, case.id)


def decide_appeal(
    ledger: Ingestor,
    case_id: str,
    outcome: AppealOutcome,
    reasons: str,
    decided_by: str,
    *,
    correction: dict[str, Any] | None = None,
) -> CaseView:
    """The appeal decision (due ``decide_by``); it ends any suspension of the listing."""
    store = ledger.store
    day = today(store.clock)
    with store.reader() as conn:
        case = load_case(conn, case_id, "objection")
        case.require("appeal_decided")
        rows: list[dict[str, Any]] = []
        if outcome == "overturned":
            how = "corrected" if correction is not None else "withdrawn"
            target = s.get_record(conn, case.target)
            rows, _ = carry_out(conn, target, how, case.id, correction, "-appeal", day=day)
    attributes = {"case": case.id, "outcome": outcome, "reasons": reasons, "decided_by": decided_by}
    rows.append(
        s.step(case.subject, s.APPEAL_DECIDED, f"{case.id}/appeal-decided", day, attributes)
    )
    s.append(ledger, rows)
    return show(store, case.id)


__all__ = ["APPEAL_OUTCOMES", "decide_appeal", "file_appeal", "suspend_listing"]
