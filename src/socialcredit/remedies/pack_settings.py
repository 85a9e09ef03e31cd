"""The remedy settings that apply to a subject, and the repair rule for a record or entry.

Several active packs may have a ``remedies.yaml``: those whose jurisdiction
covers the subject's area apply, the more specific over the less (national,
then provincial ``XX0000``, then municipal ``XXYY00``, then a county code),
each repair entry replacing the same entry of a less specific pack, and
deadlines and reviewers taken from the most specific pack that sets them.
Without any, the defaults of docs/remedies.md apply and nothing is repairable.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Connection

from socialcredit.engine.ledger_view import locate
from socialcredit.engine.scope import Scope, area_covered
from socialcredit.ledger.policy_store import policy_at
from socialcredit.policy.catalogue import Category
from socialcredit.policy.policy_set import PolicySet
from socialcredit.policy.remedies import RemedySettings, RepairRule


def _specificity(jurisdiction: str) -> int:
    if jurisdiction == "national":
        return 0
    if jurisdiction.endswith("0000"):
        return 1
    if jurisdiction.endswith("00"):
        return 2
    return 3


# resolved settings per policy set and area (both immutable); notices ask for
# them once per entry, thousands of times in a bulk ingestion
_RESOLVED: WeakKeyDictionary[PolicySet, dict[str | None, RemedySettings]] = WeakKeyDictionary()


def settings_for(policy: PolicySet, area: str | None) -> RemedySettings:
    """The remedy settings for a subject whose residence or registration records place
    it in ``area`` under the active packs (None: no record places it, national only)."""
    known = _RESOLVED.setdefault(policy, {})
    if area not in known:
        known[area] = _resolve(policy, area)
    return known[area]


def _resolve(policy: PolicySet, area: str | None) -> RemedySettings:
    place = Scope(area=area)
    found = [
        (i, p)
        for i, p in enumerate(policy.packs)
        if p.remedies is not None and area_covered(p.meta.jurisdiction, place)
    ]
    found.sort(key=lambda item: (_specificity(item[1].meta.jurisdiction), item[0]))
    settings = RemedySettings()
    for _, pack in found:
        assert pack.remedies is not None
        settings = pack.remedies.over(settings)
    return settings


@dataclass(frozen=True)
class RepairTerms:
    """What a repair of one record or entry needs, or why there is none."""

    repairable: bool
    min_days: int
    rule: RepairRule | None
    reason: str


def record_terms(
    settings: RemedySettings, category: Category, attributes: dict[str, Any]
) -> RepairTerms:
    """Repair of a record's effect: the category's own entry, else its severity's; the
    minimum raised to the sector minimum (the category's sector, else the record's
    ``sector`` attribute), as effect periods are (docs/engine.md step 6)."""
    if category.kind != "conduct":
        return RepairTerms(False, 0, None, f"{category.name} is a {category.kind} record")
    repair = settings.repair
    rule = repair.for_category(category.name)
    if rule is None:
        rule = next((r for s, r in repair.records.items() if s == category.severity), None)
    if rule is None:
        why = (
            f"a {category.severity} record: nothing to repair"
            if category.severity in ("reward", "neutral")
            else f"the active packs provide no credit repair for {category.name}"
        )
        return RepairTerms(False, 0, None, why)
    if not rule.repairable:
        return RepairTerms(False, 0, rule, rule.reason)
    sector = category.sector or attributes.get("sector")
    floor = repair.sector_minimum.get(sector, 0) if isinstance(sector, str) else 0
    return RepairTerms(True, max(rule.min_days or 0, floor), rule, rule.basis_text)


def list_terms(settings: RemedySettings, list_name: str) -> RepairTerms:
    """Early removal from a list: the list's entry in ``repair.lists``."""
    rule = settings.repair.lists.get(list_name)
    if rule is None:
        why = f"the active packs provide no credit repair for the list {list_name}"
        return RepairTerms(False, 0, None, why)
    if not rule.repairable:
        return RepairTerms(False, 0, rule, rule.reason)
    return RepairTerms(True, rule.min_days or 0, rule, rule.basis_text)


def settings_of(conn: Connection, at: dt.datetime, subject: str) -> RemedySettings:
    """The remedy settings for ``subject`` under the policy active at ``at``."""
    policy, _ = policy_at(conn, at)
    return settings_for(policy, locate(conn, at)(subject))


__all__ = [
    "RepairTerms",
    "list_terms",
    "record_terms",
    "settings_for",
    "settings_of",
]
