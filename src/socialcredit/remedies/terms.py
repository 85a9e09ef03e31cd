"""The due-process terms a notice states: objection deadlines and repair conditions.

Both come from the remedy settings that apply to the subject
(:func:`socialcredit.remedies.pack_settings.settings_for`: the active packs'
``remedies.yaml``, the more specific over the less, else the defaults of
docs/remedies.md), so a notice states what an objection or a repair
application filed that day would meet. Working days follow
:mod:`socialcredit.remedies.working_days`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from socialcredit.policy.policy_set import PolicySet
from socialcredit.remedies import deadlines
from socialcredit.remedies.pack_settings import RepairTerms, list_terms, record_terms, settings_for


@dataclass(frozen=True)
class RepairStatement:
    repairable: bool
    min_days: int
    counted_from: str  # 'effective_from' (a list entry) or 'occurred_at' (a record)
    requires: tuple[str, ...] = ()
    reason: str = ""  # why repair is not possible
    legal_basis: str = ""


def _statement(terms: RepairTerms, counted_from: str) -> RepairStatement:
    rule = terms.rule
    return RepairStatement(
        repairable=terms.repairable,
        min_days=terms.min_days,
        counted_from=counted_from,
        requires=tuple(rule.requires) if rule is not None else (),
        reason="" if terms.repairable else terms.reason.strip(),
        legal_basis=rule.basis_text if rule is not None else "",
    )


def entry_repair(policy: PolicySet, area: str | None, list_name: str) -> RepairStatement:
    """Early removal from a list (its minimum counted from the entry's effective day)."""
    return _statement(list_terms(settings_for(policy, area), list_name), "effective_from")


def record_repair(
    policy: PolicySet, area: str | None, category: str, attributes: dict[str, Any] | None = None
) -> RepairStatement:
    """Early end of a record's effect (its minimum counted from the record's day)."""
    cat = policy.catalogue.categories.get(category)
    if cat is None:
        return RepairStatement(False, 0, "occurred_at", reason=f"{category} is not active")
    terms = record_terms(settings_for(policy, area), cat, attributes or {})
    return _statement(terms, "occurred_at")


def objection_deadlines(
    policy: PolicySet, area: str | None, filed: dt.date
) -> tuple[tuple[str, dt.date], ...]:
    """The case deadlines of an objection filed on ``filed`` (docs/remedies.md)."""
    due = deadlines.objection(settings_for(policy, area).deadlines, filed)
    return (
        ("accepted by (if you object today)", due.accept_by),
        ("provider answers by (if you object today)", due.answer_by),
        ("review complete by (if you object today)", due.review_by),
    )


def objection_periods(policy: PolicySet, area: str | None) -> str:
    d = settings_for(policy, area).deadlines
    return (
        f"the platform accepts an objection within {d.accept_working_days} working days of "
        f"filing; the provider answers within {d.answer_working_days} working days after that, "
        "and while it has not answered in time the record has no effect; the review is "
        f"complete within {d.review_days} days after the provider's answer is due; its "
        f"decision can be appealed within {d.appeal_days} days and the appeal is decided "
        f"within {d.appeal_decision_days} days (a period ending on a holiday ends on the next "
        "working day)"
    )
