"""Objections: a subject contests a record; the provider answers; a reviewer decides.

Each step appends a ``remedy.*`` record (see :mod:`socialcredit.remedies.steps`);
the filing stores its deadlines, so every engine only compares dates. An
objection to a list entry contests the entry's ground record, and is traced to
the provider that reported it, who must answer. Outcomes: ``upheld`` (the
record stands), ``corrected`` (the provider's superseding record, ingested in
the same transaction as the answer) or ``withdrawn`` (the provider's
withdrawal, likewise). Corrections and withdrawals follow the ordinary
``supersedes`` path, so the subject is re-evaluated at once.

Late steps are taken, and the case shows them overdue; only an appeal has a
deadline that refuses (:mod:`socialcredit.remedies.appeals`). An answer after
``answer_by`` ends the suspension the silence caused, on the day of the answer.
"""

from __future__ import annotations

from typing import Any, Literal

from socialcredit.clock import today
from socialcredit.enforcement.paths import GROUNDS, Grounds
from socialcredit.ledger.ingest import Ingestor
from socialcredit.remedies import deadlines
from socialcredit.remedies import steps as s
from socialcredit.remedies.cases import CaseView, load_case, open_cases, show
from socialcredit.remedies.errors import AlreadyOpen, InvalidTransition, WrongParty
from socialcredit.remedies.pack_settings import settings_of
from socialcredit.remedies.targets import carry_out, require_contestable, resolve, subject_id

Outcome = Literal["upheld", "corrected", "withdrawn"]
OUTCOMES: tuple[Outcome, ...] = ("upheld", "corrected", "withdrawn")


def file_objection(
    ledger: Ingestor,
    subject: str,
    *,
    record: str | None = None,
    entry: str | None = None,
    grounds: Grounds,
    evidence: str,
    filed_by: str | None = None,
) -> CaseView:
    """File an objection to a record of ``subject`` (or to one of its list entries)."""
    store = ledger.store
    subject = subject_id(subject)
    day = today(store.clock)
    with store.reader() as conn:
        target = resolve(conn, subject, record=record, entry=entry, day=day)
        require_contestable(conn, target.record)
        if found := open_cases(conn, subject, target.record.id, "objection"):
            raise AlreadyOpen(
                f"objection {found[0].id} about record {target.record.id} is still open",
                field="record",
            )
        due = deadlines.objection(settings_of(conn, store.clock.now(), subject).deadlines, day)
    attributes = {
        "target": target.record.id,
        "entry": target.entry.id if target.entry else None,
        "grounds": grounds,
        "evidence": evidence,
        "filed_by": filed_by,
        "provider": target.record.provider,
        # from the filing day, so they do not depend on when acceptance happened; the
        # review runs on the provider's answer and ends after it (remedies/deadlines.py)
        "accept_by": due.accept_by,
        "answer_by": due.answer_by,
        "review_by": due.review_by,
    }

    def build(case_id: str) -> str:
        s.append(ledger, [s.step(subject, s.OBJECTION_FILED, case_id, day, attributes)])
        return case_id

    return show(store, s.file_case(store, "OBJ", day, build))


def accept_objection(ledger: Ingestor, case_id: str) -> CaseView:
    """The platform accepts the objection for review (due ``accept_by``)."""
    store = ledger.store
    day = today(store.clock)
    with store.reader() as conn:
        case = load_case(conn, case_id, "objection")
    case.require("accepted")
    row = s.step(case.subject, s.OBJECTION_ACCEPTED, f"{case.id}/accepted", day, {"case": case.id})
    s.append(ledger, [row])
    return show(store, case.id)


def answer_objection(
    ledger: Ingestor,
    case_id: str,
    outcome: Outcome,
    reasons: str,
    *,
    provider: str | None = None,
    correction: dict[str, Any] | None = None,
) -> CaseView:
    """The provider's answer (due ``answer_by``). ``corrected`` ingests ``correction``
    (the provider's superseding record; its ``provider``, ``subject``, ``category``,
    ``occurred_at``, ``supersedes`` and ``ref`` default to the contested record's) and
    ``withdrawn`` a withdrawal, in the answer's transaction. ``provider``, when given,
    must be the one that reported the record."""
    store = ledger.store
    day = today(store.clock)
    with store.reader() as conn:
        case = load_case(conn, case_id, "objection")
        if provider is not None and provider != case.provider:
            raise WrongParty(
                f"case {case.id} is for {case.provider} to answer, not {provider}",
                field="provider",
            )
        case.require("answered")
        target = s.get_record(conn, case.target)
        rows, corrected = carry_out(conn, target, outcome, case.id, correction, day=day)
    answer = {"case": case.id, "outcome": outcome, "correction": corrected, "reasons": reasons}
    rows.append(s.step(case.subject, s.PROVIDER_ANSWERED, f"{case.id}/answered", day, answer))
    s.append(ledger, rows)
    return show(store, case.id)


def decide_objection(
    ledger: Ingestor,
    case_id: str,
    reasons: str,
    decided_by: str,
    *,
    outcome: Outcome | None = None,
    correction: dict[str, Any] | None = None,
) -> CaseView:
    """The reviewer's decision (due ``review_by``); it opens the appeal window.

    The outcome defaults to the provider's answer. A reviewer who finds the
    record wrong may decide ``corrected`` (with ``correction``) or ``withdrawn``
    over an answer that upheld it: the provider's superseding record is then
    ingested with the decision. A record the provider already corrected or
    withdrew cannot be upheld."""
    store = ledger.store
    day = today(store.clock)
    with store.reader() as conn:
        case = load_case(conn, case_id, "objection")
        case.require("decided")
        answered = case.attr(s.PROVIDER_ANSWERED, "outcome")
        decided = outcome or answered
        if answered in ("corrected", "withdrawn") and decided == "upheld":
            raise InvalidTransition(
                f"the provider {answered} the record: the decision cannot uphold it",
                field="outcome",
            )
        rows: list[dict[str, Any]] = []
        if decided != answered:
            target = s.get_record(conn, case.target)
            rows, _ = carry_out(
                conn, target, str(decided), case.id, correction, "-decided", day=day
            )
        d = settings_of(conn, store.clock.now(), case.subject).deadlines
    attributes = {
        "case": case.id,
        "outcome": decided,
        "reasons": reasons,
        "decided_by": decided_by,
        "appeal_by": deadlines.appeal_by(d, day),
    }
    rows.append(s.step(case.subject, s.OBJECTION_DECIDED, f"{case.id}/decided", day, attributes))
    s.append(ledger, rows)
    return show(store, case.id)


__all__ = [
    "GROUNDS",
    "OUTCOMES",
    "accept_objection",
    "answer_objection",
    "decide_objection",
    "file_objection",
]
