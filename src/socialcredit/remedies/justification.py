"""Justification requests: a decided case that deviates from what its facts predict is
explained by the judge's court and reviewed.

The supervision of judges (:mod:`socialcredit.supervision.judges`) flags decisions;
each flag opens a case here, about the judge, naming the decision record. The court
that reported the decision answers with text by ``answer_by``; the reviewer role the
request names finds the explanation ``justified`` or ``unjustified`` by
``review_by`` (deadlines in :mod:`socialcredit.remedies.deadlines`, from the remedy
settings that apply to the judge). A request is a review task: the steps are
``remedy`` records, which nothing scores or lists.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from socialcredit.clock import today
from socialcredit.errors import Malformed
from socialcredit.ledger.ingest import Ingestor
from socialcredit.remedies import deadlines
from socialcredit.remedies import steps as s
from socialcredit.remedies.cases import Case, CaseView, cases_of, load_case, show
from socialcredit.remedies.errors import AlreadyRequested, NotJustifiable, WrongParty
from socialcredit.remedies.pack_settings import settings_of

DECISION = "judicial.case_decision"
Finding = Literal["justified", "unjustified"]
FINDINGS: tuple[Finding, ...] = ("justified", "unjustified")


MAX_TEXT = 4000  # characters of a court's justification (the pack's remedy.justification_answered)
MAX_REASONS = 4000  # of a reviewer's reasons, as for every other remedy decision


@dataclass(frozen=True)
class Flag:
    """What the analytic found about one decision: how far it lies from what its facts
    predict, on the scale of the outcome modelled (``modelled``; the criminal model
    predicts the log of the sentence in months)."""

    decision: str  # the decision record's id
    deviation_score: float
    p_value: float
    q_value: float
    observed: float | None = None
    predicted: float | None = None
    modelled: str | None = None


def requested_decisions(ledger: Ingestor) -> set[str]:
    """Ids of the decisions whose justification was ever requested."""
    with ledger.store.reader() as conn:
        found = cases_of(s.remedy_records(conn))
    return {c.target for c in found if c.kind == "justification"}


def request_justification(
    ledger: Ingestor, flag: Flag, *, requested_by: str, reviewer: str
) -> CaseView:
    """Open a justification request about a flagged decision, for its court to answer."""
    store = ledger.store
    day = today(store.clock)
    with store.reader() as conn:
        record = s.get_record(conn, flag.decision)
        if record.category != DECISION:
            raise NotJustifiable(
                f"record {record.id} is {record.category}, not a decided case", field="decision"
            )
        if s.head_of(conn, record).id != record.id or record.withdrawn:
            raise NotJustifiable(f"record {record.id} was corrected or withdrawn", field="decision")
        earlier = [
            c
            for c in cases_of(s.remedy_records(conn, record.subject))
            if c.kind == "justification" and c.target == record.id
        ]
        if earlier:
            raise AlreadyRequested(
                f"justification {earlier[0].id} of decision {record.id} was already requested",
                field="decision",
            )
        due = deadlines.justification(
            settings_of(conn, store.clock.now(), record.subject).deadlines, day
        )
    attributes = {
        "target": record.id,
        "court": record.attributes.get("court"),
        "provider": record.provider,
        "case_type": record.attributes.get("case_type"),
        "outcome_modelled": flag.modelled,
        "observed_outcome": None if flag.observed is None else round(flag.observed, 6),
        "predicted_outcome": None if flag.predicted is None else round(flag.predicted, 6),
        "deviation_score": round(flag.deviation_score, 6),
        "p_value": flag.p_value,
        "q_value": flag.q_value,
        "requested_by": requested_by,
        "reviewer": reviewer,
        "answer_by": due.answer_by,
        "review_by": due.review_by,
    }

    def build(case_id: str) -> str:
        row = s.step(record.subject, s.JUSTIFICATION_REQUESTED, case_id, day, attributes)
        s.append(ledger, [row])
        return case_id

    return show(store, s.file_case(store, "JUS", day, build))


def answer_justification(
    ledger: Ingestor,
    case_id: str,
    justification: str,
    *,
    answered_by: str,
    provider: str | None = None,
) -> CaseView:
    """The court's explanation (due ``answer_by``). ``provider``, when given, must be
    the court that reported the decision."""
    store = ledger.store
    day = today(store.clock)
    if not justification.strip():
        raise Malformed("the justification is empty", field="justification")
    if len(justification) > MAX_TEXT:
        raise Malformed(
            f"the justification is longer than {MAX_TEXT} characters", field="justification"
        )
    with store.reader() as conn:
        case = load_case(conn, case_id, "justification")
    if provider is not None and provider != case.provider:
        raise WrongParty(
            f"case {case.id} is for {case.provider} to answer, not {provider}", field="provider"
        )
    case.require("answered")
    attrs = {"case": case.id, "justification": justification, "answered_by": answered_by}
    row = s.step(case.subject, s.JUSTIFICATION_ANSWERED, f"{case.id}/answered", day, attrs)
    s.append(ledger, [row])
    return show(store, case.id)


def decide_justification(
    ledger: Ingestor, case_id: str, outcome: str, reasons: str, decided_by: str
) -> CaseView:
    """The reviewer's finding (due ``review_by``): ``justified`` or ``unjustified``."""
    store = ledger.store
    day = today(store.clock)
    if outcome not in FINDINGS:
        raise Malformed(f"outcome: one of {', '.join(FINDINGS)}", field="outcome")
    if not reasons.strip() or len(reasons) > MAX_REASONS:
        raise Malformed(f"reasons: 1 to {MAX_REASONS} characters", field="reasons")
    with store.reader() as conn:
        case = load_case(conn, case_id, "justification")
    case.require("decided")
    attrs = {"case": case.id, "outcome": outcome, "reasons": reasons, "decided_by": decided_by}
    row = s.step(case.subject, s.JUSTIFICATION_DECIDED, f"{case.id}/decided", day, attrs)
    s.append(ledger, [row])
    return show(store, case.id)


def reviewer_of(case: Case) -> str:
    """The role that decides the request: the one it names (``judges.reviewer`` of the
    supervision settings when it was requested), not the remedies' reviewers."""
    return str(case.attr(s.JUSTIFICATION_REQUESTED, "reviewer") or "reviewer")


def summary(view: CaseView) -> dict[str, Any]:
    """A justification request as the court, the reviewer and the supervisor read it:
    the flagged decision's facts, the court's answer, the finding, what happens next
    and every step."""
    case = view.case
    asked = case.filing.attributes
    answered = case.last(s.JUSTIFICATION_ANSWERED)
    decided = case.last(s.JUSTIFICATION_DECIDED)
    whole = view.to_dict()
    return {
        "case": case.id,
        "state": case.state,
        "open": whole["open"],
        "judge": case.subject,
        "decision": case.target,
        "court": asked.get("court"),
        "provider": case.provider,
        "case_type": asked.get("case_type"),
        "modelled": asked.get("outcome_modelled"),
        "observed": asked.get("observed_outcome"),
        "predicted": asked.get("predicted_outcome"),
        "deviation_score": asked.get("deviation_score"),
        "p_value": asked.get("p_value"),
        "q_value": asked.get("q_value"),
        "requested_on": case.filed_on.isoformat(),
        "requested_by": asked.get("requested_by"),
        "reviewer": reviewer_of(case),
        "answer_by": asked.get("answer_by"),
        "review_by": asked.get("review_by"),
        "answer": None
        if answered is None
        else {
            "text": answered.attributes.get("justification"),
            "answered_by": answered.attributes.get("answered_by"),
            "on": answered.on.isoformat(),
        },
        "finding": None
        if decided is None
        else {
            "outcome": decided.attributes.get("outcome"),
            "reasons": decided.attributes.get("reasons"),
            "decided_by": decided.attributes.get("decided_by"),
            "on": decided.on.isoformat(),
        },
        "next": whole["next"],
        "steps": whole["steps"],
    }


__all__ = [
    "FINDINGS",
    "MAX_REASONS",
    "MAX_TEXT",
    "Flag",
    "answer_justification",
    "decide_justification",
    "request_justification",
    "requested_decisions",
    "reviewer_of",
    "summary",
]
