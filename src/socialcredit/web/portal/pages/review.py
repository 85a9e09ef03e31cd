"""``/review``: the reviewers' desk -- the queues of open cases by deadline, one case
with its record and history, and the step a reviewer takes on it.

Four queues: objections waiting for acceptance, the provider's answer or a
decision; appeals pending; repair applications waiting for a decision; justification
requests the court has answered, waiting for a finding. Each queue belongs to the
reviewer role the subject's pack names for it (``remedies.yaml`` ``reviewers``: by
default ``reviewer`` for objections and repairs, ``appeal-reviewer`` for appeals), the
same role an API key needs for the step; a justification request to the role it names
(``supervision.yaml`` ``judges.reviewer``). A role name of a pack is a portal role with
``-`` read as ``_``. A step of one kind of case is never taken on another
(``wrong_case_kind``): the kinds share state names.

A case outside the visitor's queues answers 404 exactly as a missing one. A
step is taken through the same remedies functions as the API routes, recorded
as decided by the logged-in account (name and account id); nobody takes a step
on a case they filed -- whose subject, or whose representative (``filed_by``), is
the person their account acts for (``own_case``, 403): a judge never decides the
justification of their own decision.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool

from socialcredit.access.keys import Forbidden
from socialcredit.access.principal import Principal
from socialcredit.clock import today
from socialcredit.ledger.policy_store import policy_at
from socialcredit.policy.remedies import Reviewers
from socialcredit.remedies import steps as s
from socialcredit.remedies.appeals import AppealOutcome, decide_appeal, suspend_listing
from socialcredit.remedies.cases import NOUNS, CaseView, cases
from socialcredit.remedies.errors import WrongCaseKind
from socialcredit.remedies.justification import FINDINGS, decide_justification
from socialcredit.remedies.objections import Outcome, accept_objection, decide_objection
from socialcredit.remedies.repair import decide_repair
from socialcredit.remedies.working_days import working_days_between
from socialcredit.services.ingest import ingestor
from socialcredit.store.database import Store
from socialcredit.web.deps import StoreDep
from socialcredit.web.gate import principal_of
from socialcredit.web.portal.case_access import (
    KIND_OF_QUEUE,
    OwnCase,
    decided_by,
    filed_by,
    queue_of,
    queue_role,
    role_for,
    visible_case,
)
from socialcredit.web.portal.case_labels import (
    NEXT,
    OUTCOMES,
    STEPS,
    labelled,
    state_label,
)
from socialcredit.web.portal.forms import InvalidForm, checked_form, field
from socialcredit.web.portal.i18n import Language
from socialcredit.web.portal.justification_facts import flag_facts
from socialcredit.web.portal.names import titled
from socialcredit.web.portal.render import N_, page, visit

router = APIRouter(include_in_schema=False)

QUEUES = ("objections", "appeals", "repairs", "justifications")
QUEUE_TITLES = {
    "objections": N_("Objections"),
    "appeals": N_("Appeals"),
    "repairs": N_("Credit repair applications"),
    "justifications": N_("Justifications of flagged decisions"),
}
# the states in which a case waits in its queue (a justification request once the
# court has answered: before, the court acts, not the desk)
WAITING = {"objections": ("filed", "accepted", "answered"), "appeals": ("appealed",)}
WAITING["repairs"] = ("applied",)
WAITING["justifications"] = ("answered",)
# what the filer shows: an objection's or appeal's grounds and evidence, a repair's showing
EVIDENCE = ("grounds", "evidence", "filed_by", "pledge", "course_completed", "fulfilment")


@dataclass(frozen=True)
class Action:
    """A step the desk takes: the queue whose role takes it, the case state it
    needs, whether reasons are required, and its label and success message."""

    queue: str
    state: str
    reasons: bool
    label: str
    done: str


ACTIONS = {
    "accept": Action(
        "objections", "filed", False, N_("Accept the objection"), N_("The objection is accepted.")
    ),
    "uphold": Action(
        "objections",
        "answered",
        True,
        N_("Uphold the objection (the record is withdrawn, or as the provider corrected it)"),
        N_("The objection is upheld."),
    ),
    "dismiss": Action(
        "objections",
        "answered",
        True,
        N_("Dismiss the objection (the record stands)"),
        N_("The objection is dismissed."),
    ),
    "suspend": Action(
        "appeals",
        "appealed",
        False,
        N_("Suspend the listing until the appeal is decided"),
        N_("The listing is suspended."),
    ),
    "appeal_overturned": Action(
        "appeals",
        "appealed",
        True,
        N_("Uphold the appeal (the decision is overturned: the record is withdrawn)"),
        N_("The appeal is decided."),
    ),
    "appeal_upheld": Action(
        "appeals",
        "appealed",
        True,
        N_("Dismiss the appeal (the decision stands)"),
        N_("The appeal is decided."),
    ),
    "grant": Action(
        "repairs", "applied", True, N_("Grant the repair"), N_("The repair is granted.")
    ),
    "refuse": Action(
        "repairs", "applied", True, N_("Refuse the repair"), N_("The repair is refused.")
    ),
    "justified": Action(
        "justifications",
        "answered",
        True,
        N_("Justified: the court's answer explains the deviation"),
        N_("The justification is found sufficient."),
    ),
    "unjustified": Action(
        "justifications",
        "answered",
        True,
        N_("Unjustified: the court's answer does not explain the deviation"),
        N_("The justification is found insufficient."),
    ),
}


@dataclass(frozen=True)
class Due:
    """A case's deadline as the desk shows it: working days left or overdue by."""

    deadline: dt.date | None
    overdue: bool
    working_days: int | None


def due_of(view: CaseView) -> Due:
    nxt = view.next
    if nxt is None or nxt.deadline is None:
        return Due(None, False, None)
    if nxt.overdue(view.day):
        return Due(nxt.deadline, True, working_days_between(nxt.deadline, view.day))
    return Due(nxt.deadline, False, working_days_between(view.day, nxt.deadline))


def queues(principal: Principal, store: Store) -> dict[str, list[tuple[CaseView, Due]]]:
    """The visitor's queues, each by deadline (the earliest first)."""
    found: dict[str, list[tuple[CaseView, Due]]] = {}
    defaults = Reviewers()
    for queue in QUEUES:
        if principal.has(queue_role(defaults, queue)):
            found[queue] = []
    for view in cases(store):
        queue = queue_of(view)
        if view.case.state in WAITING[queue] and principal.has(role_for(view, queue)):
            found.setdefault(queue, []).append((view, due_of(view)))
    return {q: found[q] for q in QUEUES if q in found}


@router.get("/review")
def desk(request: Request, store: StoreDep) -> HTMLResponse:
    found = queues(principal_of(request.scope), store)
    return page(
        request,
        "review.html",
        queues=found,
        queue_titles=QUEUE_TITLES,
        state_label=state_label,
        next_labels=NEXT,
        today=today(store.clock),
    )


def _record(store: Store, view: CaseView, lang: Language) -> dict[str, Any]:
    """The record the case is about: as reported, and its current version."""
    with store.reader() as conn:
        record = s.get_record(conn, view.case.target)
        head = s.head_of(conn, record)
        policy, _note = policy_at(conn, store.clock.now())
    category = policy.catalogue.categories.get(record.category)
    return {
        "record": record,
        "title": titled(category, lang) if category is not None else "",
        "head": head if head.id != record.id else None,
    }


def actions_for(principal: Principal, view: CaseView) -> list[str]:
    """The steps the visitor may take on the case now."""
    if filed_by(principal, view):
        return []
    found = []
    for name, action in ACTIONS.items():
        if view.case.state != action.state or action.queue != queue_of(view):
            continue
        if not principal.has(role_for(view, action.queue)):
            continue
        if name == "suspend" and view.case.suspended:
            continue
        answered = view.case.attr(s.PROVIDER_ANSWERED, "outcome")
        if name == "dismiss" and answered in ("corrected", "withdrawn"):
            continue
        found.append(name)
    return found


@router.get("/review/{case}")
def case_page(
    request: Request,
    case: str,
    store: StoreDep,
    done: Annotated[str, Query(max_length=40)] = "",
) -> HTMLResponse:
    principal = principal_of(request.scope)
    view = visible_case(principal, store, case)
    lang = visit(request).lang
    history = [
        {
            "on": step.on,
            "label": STEPS.get(step.category, step.category),
            "outcome": OUTCOMES.get((step.category, str(step.attributes.get("outcome")))),
            "fields": labelled(step.attributes, lang),
        }
        for step in view.case.steps
    ]
    shown = [view.case.filing, view.case.last(s.APPEAL_FILED)]
    evidence = [
        (STEPS[x.category], labelled({k: x.attributes.get(k) for k in EVIDENCE}, lang))
        for x in shown
        if x is not None
    ]
    answer = view.case.last(s.PROVIDER_ANSWERED)
    justification = view.case.kind == "justification"
    return page(
        request,
        "case.html",
        view=view,
        case=view.case,
        queue=queue_of(view),
        queue_titles=QUEUE_TITLES,
        state_label=state_label,
        flag=flag_facts(view) if justification else None,
        next_labels=NEXT,
        due=due_of(view),
        target=_record(store, view, lang),
        answer=None if answer is None else answer.attributes,
        answer_outcome=None
        if answer is None
        else OUTCOMES.get((s.PROVIDER_ANSWERED, str(answer.attributes.get("outcome")))),
        history=history,
        evidence=evidence,
        actions=[(name, ACTIONS[name]) for name in actions_for(principal, view)],
        own=filed_by(principal, view),
        done=ACTIONS[done].done if done in ACTIONS else None,
    )


def take(store: Store, principal: Principal, case_id: str, name: str, reasons: str) -> None:
    """Take the step ``name`` on the case, as the visitor."""
    view = visible_case(principal, store, case_id)
    action = ACTIONS[name]
    if KIND_OF_QUEUE[action.queue] != view.case.kind:
        raise WrongCaseKind(
            f"case {case_id} is {NOUNS[view.case.kind]}: it takes no step {name}", field="action"
        )
    role = role_for(view, action.queue)
    if not principal.has(role):
        raise Forbidden(f"{principal.name} may not {name} case {case_id}: it takes role {role}")
    if filed_by(principal, view):
        raise OwnCase(
            f"{principal.name} filed case {case_id}: another reviewer decides it", field="case"
        )
    ledger = ingestor(store)
    by = decided_by(principal)
    if name == "accept":
        accept_objection(ledger, case_id)
    elif name in ("uphold", "dismiss"):
        answered = view.case.attr(s.PROVIDER_ANSWERED, "outcome")
        outcome: Outcome = "withdrawn" if name == "uphold" else "upheld"
        if name == "uphold" and answered == "corrected":
            outcome = "corrected"  # the provider's correction stands as the decision
        decide_objection(ledger, case_id, reasons, by, outcome=outcome)
    elif name == "suspend":
        suspend_listing(ledger, case_id, by, reasons or None)
    elif name in ("appeal_upheld", "appeal_overturned"):
        decision: AppealOutcome = "upheld" if name == "appeal_upheld" else "overturned"
        decide_appeal(ledger, case_id, decision, reasons, by)
    elif name in FINDINGS:
        decide_justification(ledger, case_id, name, reasons, by)
    else:
        decide_repair(ledger, case_id, name == "grant", reasons, by)


@router.post("/review/{case}")
async def decide(request: Request, case: str, store: StoreDep) -> RedirectResponse:
    form = await checked_form(request)
    name = field(form, "action", max_length=40)
    if name not in ACTIONS:
        raise InvalidForm(f"action: one of {', '.join(ACTIONS)}", field="action")
    reasons = field(form, "reasons", required=ACTIONS[name].reasons, max_length=4000)
    await run_in_threadpool(take, store, principal_of(request.scope), case, name, reasons)
    return RedirectResponse(f"/review/{quote(case, safe='')}?done={name}", status_code=303)
