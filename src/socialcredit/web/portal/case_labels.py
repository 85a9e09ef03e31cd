"""What the reviewers' desk calls a case's states, next steps, steps, outcomes and
attributes, marked for the catalogues (translated where the page shows them).

The machines share state names (``answered``, ``decided``) that mean different things
per kind of case, so a state is labelled by the case's kind and state together.
"""

from __future__ import annotations

from typing import Any

from socialcredit.remedies import steps as s
from socialcredit.remedies.cases import Case
from socialcredit.web.portal.i18n import Language
from socialcredit.web.portal.render import N_

STATES = {
    "filed": N_("filed"),
    "accepted": N_("accepted, waiting for the provider's answer"),
    "answered": N_("answered by the provider"),
    "decided": N_("decided"),
    "appealed": N_("appealed"),
    "appeal_decided": N_("appeal decided"),
    "applied": N_("applied for"),
}
JUSTIFICATION_STATES = {
    "requested": N_("requested, waiting for the court's answer"),
    "answered": N_("answered by the court"),
    "decided": N_("decided"),
}
NEXT = {
    "accept": N_("accept"),
    "answer": N_("the provider answers"),
    "decide": N_("decide"),
    "decide appeal": N_("decide the appeal"),
    "appeal": N_("the subject may appeal"),
    "justify": N_("the court answers"),
}
STEPS = {
    s.OBJECTION_FILED: N_("Objection filed"),
    s.OBJECTION_ACCEPTED: N_("Objection accepted"),
    s.PROVIDER_ANSWERED: N_("Provider answered"),
    s.OBJECTION_DECIDED: N_("Objection decided"),
    s.APPEAL_FILED: N_("Appeal filed"),
    s.LISTING_SUSPENDED: N_("Listing suspended"),
    s.APPEAL_DECIDED: N_("Appeal decided"),
    s.REPAIR_APPLIED: N_("Repair applied for"),
    s.REPAIR_DECIDED: N_("Repair decided"),
    s.JUSTIFICATION_REQUESTED: N_("Justification requested"),
    s.JUSTIFICATION_ANSWERED: N_("The court answered"),
    s.JUSTIFICATION_DECIDED: N_("Justification decided"),
}
# an outcome as the reviewer reads it: the same word means different things per step
OUTCOMES = {
    (s.PROVIDER_ANSWERED, "upheld"): N_("the record stands"),
    (s.PROVIDER_ANSWERED, "corrected"): N_("the record is corrected"),
    (s.PROVIDER_ANSWERED, "withdrawn"): N_("the record is withdrawn"),
    (s.OBJECTION_DECIDED, "upheld"): N_("objection dismissed: the record stands"),
    (s.OBJECTION_DECIDED, "corrected"): N_("objection upheld: the record is corrected"),
    (s.OBJECTION_DECIDED, "withdrawn"): N_("objection upheld: the record is withdrawn"),
    (s.APPEAL_DECIDED, "upheld"): N_("appeal dismissed: the decision stands"),
    (s.APPEAL_DECIDED, "overturned"): N_("appeal upheld: the decision is overturned"),
    (s.REPAIR_DECIDED, "accepted"): N_("repair granted"),
    (s.REPAIR_DECIDED, "refused"): N_("repair refused"),
    (s.JUSTIFICATION_DECIDED, "justified"): N_("justified: the court's answer explains it"),
    (s.JUSTIFICATION_DECIDED, "unjustified"): N_("unjustified: the deviation is not explained"),
}
FIELDS = {
    "grounds": N_("Grounds"),
    "evidence": N_("Evidence"),
    "filed_by": N_("Filed by"),
    "reasons": N_("Reasons"),
    "decided_by": N_("Decided by"),
    "correction": N_("Correction"),
    "accept_by": N_("Accept by"),
    "answer_by": N_("Answer by"),
    "review_by": N_("Review by"),
    "appeal_by": N_("Appeal by"),
    "decide_by": N_("Decide by"),
    "pledge": N_("Credit pledge made"),
    "course_completed": N_("Credit-repair course completed"),
    "fulfilment": N_("Fulfilment record"),
    "eligible_from": N_("Eligible from"),
    "effective": N_("Effective"),
    "target_kind": N_("Repair of"),
    "target": N_("Record"),
    "entry": N_("List entry"),
    "provider": N_("Provider"),
    "court": N_("Court"),
    "case_type": N_("Case type"),
    "requested_by": N_("Requested by"),
    "reviewer": N_("Decided by the role"),
    "justification": N_("The court's justification"),
    "answered_by": N_("Answered by"),
}
# not listed among a step's fields: the case itself, an outcome (labelled by OUTCOMES),
# and the figures of a flag (shown formatted above the history, on the scale of the case)
HIDDEN_FIELDS = (
    "case",
    "outcome",
    "outcome_modelled",
    "predicted_outcome",
    "observed_outcome",
    "deviation_score",
    "p_value",
    "q_value",
)


def state_label(case: Case) -> str:
    """The message id of a case's state, read by its kind."""
    if case.kind == "justification":
        return JUSTIFICATION_STATES.get(case.state, case.state)
    return STATES.get(case.state, case.state)


def labelled(attributes: dict[str, Any], lang: Language) -> list[tuple[str, Any]]:
    """Attributes as (label, value) rows, known names labelled in the page's language."""
    return [
        (lang.gettext(FIELDS[k]) if k in FIELDS else k, v)
        for k, v in attributes.items()
        if k not in HIDDEN_FIELDS and v is not None
    ]


__all__ = [
    "FIELDS",
    "NEXT",
    "OUTCOMES",
    "STATES",
    "STEPS",
    "labelled",
    "state_label",
]
