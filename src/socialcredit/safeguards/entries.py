"""The checks of live black-list entries and logged decisions, one function per kind of item.

Each function returns, per check it makes, whether the item passed and the
violations it found. See :mod:`socialcredit.safeguards.audit` for the whole.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from socialcredit.clock import CHINA
from socialcredit.enforcement.model import ListEntry
from socialcredit.enforcement.publish import GRADE_LIST_DAYS
from socialcredit.policy.law.allowlists import category_items, extension_max, shipped_law
from socialcredit.policy.lists import ListDef
from socialcredit.policy.policy_set import PolicySet
from socialcredit.safeguards.delivery import delivery_problem
from socialcredit.safeguards.findings import Checked, Result, Violation

LISTING_NOTICES = ("listing_pending", "listing_effective")


@dataclass(frozen=True)
class GroundRecord:
    id: str
    provider: str
    category: str
    occurred_at: dt.date
    replaced: bool
    withdrawn: bool


@dataclass(frozen=True)
class EntryFacts:
    """What the entry checks need beyond the entry: loaded in bulk by the audit."""

    policy: PolicySet
    today: dt.date
    grounds: Mapping[str, GroundRecord]
    notices: Mapping[str, list[tuple[str, str, dt.date, dt.datetime]]]  # ref -> notices
    authorised: Mapping[str, frozenset[str]]  # provider -> categories
    grades: Mapping[tuple[str, str], str | None]  # (subject, scheme) -> current grade
    grade_notices: Mapping[tuple[str, str], list[dt.datetime]]  # (subject, scheme) -> grade_low
    # ref -> (notice id, kind, recipient, effective_on), and each notice's first delivery
    notice_ids: Mapping[str, list[tuple[str, str, str, dt.date]]] = field(default_factory=dict)
    delivered: Mapping[str, dt.datetime] = field(default_factory=dict)


def max_term_days(ld: ListDef, policy: PolicySet) -> int | None:
    """The longest term the list can give an entry (a per-case extension at most what
    the catalogue item allows); None when some term has no end."""
    if ld.grade_based:
        return GRADE_LIST_DAYS  # republished with every evaluation run
    return ld.longest_days(extension_max(ld, category_items(policy.packs, shipped_law())))


def check_entry(entry: ListEntry, facts: EntryFacts) -> Result:
    """Yield ``(check, violation or None)`` for each check of a live black-list entry."""
    info = facts.policy.lists.get(entry.list)
    ld = info.definition if info is not None else None

    def bad(check: str, message: str) -> tuple[str, Violation]:
        return check, Violation(check, entry.id, entry.subject, message)

    # legality: the list's basis, the entry's, every triggered measure's
    missing = []
    if ld is None:
        missing.append(f"list {entry.list} is not in the active policy")
    elif not ld.legal_basis:
        missing.append(f"list {entry.list} cites no legal basis")
    if not entry.legal_basis.strip():
        missing.append("the entry cites no legal basis")
    for m in facts.policy.measures.values():
        if entry.list in m.definition.lists and not m.definition.legal_basis:
            missing.append(f"measure {m.name} cites no legal basis")
    yield bad("legal_basis", "; ".join(missing)) if missing else ("legal_basis", None)

    graded = ld.entry.grade if ld is not None else None
    if entry.ground_record is None and graded is not None:
        yield from _grade_entry(entry, graded.scheme, graded.grades, ld, facts)
        yield from _end_date(entry, ld, facts.policy)
        return

    # explanation: the ground record exists and is effective
    ground = facts.grounds.get(entry.ground_record or "")
    if entry.ground_record is None:
        yield bad("explanation", "the entry names no ground record")
    elif ground is None:
        yield bad("explanation", f"ground record {entry.ground_record} is not in the ledger")
    elif ground.withdrawn or ground.replaced or ground.occurred_at > facts.today:
        how = "withdrawn" if ground.withdrawn else "replaced" if ground.replaced else "not due"
        yield bad("explanation", f"ground record {ground.id} is not effective ({how})")
    else:
        yield "explanation", None

    # due process: a notice before the entry took effect (or a lawful zero notice)
    found = [
        created
        for kind, recipient, effective_on, created in facts.notices.get(entry.id, [])
        if kind in LISTING_NOTICES
        and recipient == entry.subject
        and effective_on == entry.effective_from
    ]
    yield _notice(entry, ld, found)
    late = delivery_problem(
        entry, ld, facts.notice_ids.get(entry.id, []), facts.delivered, facts.today
    )
    yield ("delivery", None) if late is None else bad("delivery", late)

    # objection path: the provider who must answer is registered and still authorised
    if ground is None:
        yield bad("objection_path", "no ground record to object to")
    elif ground.provider not in facts.authorised:
        yield bad("objection_path", f"provider {ground.provider} is no longer registered")
    elif ground.category not in facts.authorised[ground.provider]:
        yield bad(
            "objection_path",
            f"provider {ground.provider} is no longer authorised for {ground.category}",
        )
    else:
        yield "objection_path", None

    yield from _end_date(entry, ld, facts.policy)


def _notice(entry: ListEntry, ld: ListDef | None, found: list[dt.datetime]) -> Checked:
    """A notice before the entry took effect, or any notice for a lawful zero period."""
    zero = ld is not None and ld.notice_days == 0 and bool(ld.zero_notice_basis)
    if not found:
        return "notice", Violation(
            "notice", entry.id, entry.subject, "no notice of the listing was created"
        )
    day = min(found).replace(tzinfo=dt.UTC).astimezone(CHINA).date()
    if not zero and day >= entry.effective_from:
        return "notice", Violation(
            "notice",
            entry.id,
            entry.subject,
            f"the first notice was created on {day.isoformat()}, not before the listing "
            f"took effect on {entry.effective_from.isoformat()}",
        )
    return "notice", None


def _grade_entry(
    entry: ListEntry, scheme: str, grades: tuple[str, ...], ld: ListDef | None, facts: EntryFacts
) -> Result:
    """A grade-based entry: the current grade qualifies, and the fall was notified."""
    grade = facts.grades.get((entry.subject, scheme))
    if grade in grades:
        yield "explanation", None
    else:
        message = f"the current grade in {scheme} is {grade}, not one of {list(grades)}"
        yield "explanation", Violation("explanation", entry.id, entry.subject, message)
    yield _notice(entry, ld, list(facts.grade_notices.get((entry.subject, scheme), [])))
    yield "objection_path", None  # objections name the grade's contributing records


def _end_date(entry: ListEntry, ld: ListDef | None, policy: PolicySet) -> Result:
    """An end, within the list's maximum."""

    def bad(message: str) -> Checked:
        return "end_date", Violation("end_date", entry.id, entry.subject, message)

    longest = max_term_days(ld, policy) if ld is not None else None
    length = (entry.ends_at - entry.effective_from).days
    if ld is not None and longest is None:
        yield bad(f"list {entry.list} has a term without end")
    elif entry.ends_at >= dt.date(9999, 1, 1) or entry.end < entry.effective_from:
        yield bad("the entry has no end date")
    elif longest is not None and length > longest:
        yield bad(f"the entry lasts {length} days, longer than the list's maximum of {longest}")
    elif ld is None:
        yield bad(f"list {entry.list} is not in the active policy: no maximum")
    else:
        yield "end_date", None


def check_decision(seq: int, subject: str, outcome: str, reasons: dict[str, Any]) -> Result:
    """Yield ``(check, violation or None)`` for a logged non-allow decision."""
    item = f"decision {seq}"
    measures = reasons.get("measures") or []
    entries = reasons.get("entries") or []
    named = [m for m in measures if isinstance(m, dict)]
    if not measures or not entries:
        what = [w for w, v in (("measures", measures), ("list entries", entries)) if not v]
        msg = f"the {outcome} decision names no {' and no '.join(what)}"
        yield "explanation", Violation("explanation", item, subject, msg)
    else:
        yield "explanation", None
    missing = []
    if not reasons.get("legal_bases"):
        missing.append("the decision states no legal basis")
    missing += [
        f"measure {m.get('measure')} has no legal basis"
        for m in named
        if not str(m.get("legal_basis") or "").strip()
    ]
    missing += [
        f"entry {e.get('id')} has no legal basis"
        for e in entries
        if isinstance(e, dict) and not str(e.get("legal_basis") or "").strip()
    ]
    if missing:
        yield "legal_basis", Violation("legal_basis", item, subject, "; ".join(missing))
    else:
        yield "legal_basis", None
