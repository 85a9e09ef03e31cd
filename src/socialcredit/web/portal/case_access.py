"""Who may see a case on the reviewers' desk and take its steps: the queue a case is in,
the reviewer role of that queue (a pack's role name with ``-`` read as ``_``), and the
refusal of a step on a case about, or filed by, the reviewer's own person.

A justification request is in its own queue, for the role the request names (the
supervision settings' ``judges.reviewer`` when it was opened), never the remedies'
reviewers; and its subject is the judge, who never decides their own."""

from __future__ import annotations

from socialcredit.access.principal import KEY_ROLES, Principal
from socialcredit.errors import SocialCreditError
from socialcredit.policy.remedies import Reviewers
from socialcredit.policy.supervision import JudgeSupervision
from socialcredit.remedies import steps as s
from socialcredit.remedies.cases import CaseView, show
from socialcredit.remedies.errors import CaseNotFound
from socialcredit.remedies.justification import reviewer_of
from socialcredit.store.database import Store


class OwnCase(SocialCreditError):
    """A reviewer takes no step on a case they filed (about, or filed by, the person
    their account acts for)."""

    code = "own_case"
    status = 403


def portal_role(pack_role: str) -> str:
    """The portal role a pack's reviewer role name stands for."""
    return KEY_ROLES.get(pack_role, pack_role.replace("-", "_"))


# the kind of case each queue holds
KIND_OF_QUEUE = {
    "objections": "objection",
    "appeals": "objection",
    "repairs": "repair",
    "justifications": "justification",
}


def queue_role(reviewers: Reviewers, queue: str) -> str:
    """The role of a queue under remedy settings (of justifications: the default)."""
    if queue == "justifications":
        return portal_role(JudgeSupervision().reviewer)
    named = {"objections": reviewers.objection, "appeals": reviewers.appeal}
    return portal_role(named.get(queue, reviewers.repair))


def role_for(view: CaseView, queue: str) -> str:
    """The role that takes a step of ``queue`` on the case."""
    if queue == "justifications":
        return portal_role(reviewer_of(view.case))
    return queue_role(view.settings.reviewers, queue)


def queue_of(view: CaseView) -> str:
    if view.case.kind == "justification":
        return "justifications"
    if view.case.kind == "repair":
        return "repairs"
    return "appeals" if view.case.state in ("appealed", "appeal_decided") else "objections"


def may_see(principal: Principal, view: CaseView) -> bool:
    """Whether the case is in one of the visitor's queues (an objection reviewer
    follows an objection through its appeal too)."""
    reviewers = view.settings.reviewers
    if view.case.kind == "justification":
        return principal.has(role_for(view, "justifications"))
    if view.case.kind == "repair":
        return principal.has(queue_role(reviewers, "repairs"))
    if principal.has(queue_role(reviewers, "objections")):
        return True
    return queue_of(view) == "appeals" and principal.has(queue_role(reviewers, "appeals"))


def filed_by(principal: Principal, view: CaseView) -> bool:
    """Whether the visitor filed the case: the person their account acts for is the
    case's subject or the representative who filed it (``filed_by``)."""
    if principal.subject is None:
        return False
    filer = view.case.attr(s.OBJECTION_FILED, "filed_by")
    return principal.subject in (view.case.subject, filer)


def decided_by(principal: Principal) -> str:
    return f"{principal.name} ({principal.id})"


def visible_case(principal: Principal, store: Store, case_id: str) -> CaseView:
    """The case, if it is in the visitor's queues; else 404 as for a missing case."""
    try:
        view = show(store, case_id)
    except CaseNotFound:
        view = None
    if view is None or not may_see(principal, view):
        raise CaseNotFound(f"no case {case_id!r}", field="case")
    return view
