"""Credit repair: early end of a record's effect, or early removal from a list.

An application names a record of the subject or one of its list entries (its
ground record). It is refused when the pack provides no repair for it
(``not_repairable``, with the pack's reason), when it no longer counts (the
maximum period ends an effect by itself: nothing to apply for), before the
minimum period is served (``too_early``, with ``eligible_from``) and when a
required showing is missing (``missing_requirement``: a credit pledge, a
credit-repair course, a fulfilment record of the named categories). Repairing
a record that grounds list entries also needs each list's terms, and ends
those entries too. An accepted repair takes effect on the day of the
decision: the record stops counting and the entry ends (docs/remedies.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection

from socialcredit.clock import day_of, today
from socialcredit.enforcement.entries import entries_for
from socialcredit.enforcement.model import ListEntry
from socialcredit.engine.ledger_view import assess, load_subject
from socialcredit.engine.model import LedgerRecord
from socialcredit.engine.records import effective_records
from socialcredit.engine.scope import scope_of
from socialcredit.ledger.ingest import Ingestor
from socialcredit.ledger.policy_store import policy_at
from socialcredit.policy.policy_set import PolicySet
from socialcredit.policy.remedies import RemedySettings
from socialcredit.remedies import steps as s
from socialcredit.remedies.cases import CaseView, load_case, open_cases, show
from socialcredit.remedies.deadlines import repair_decide_by
from socialcredit.remedies.errors import AlreadyOpen, MissingRequirement, NotRepairable, TooEarly
from socialcredit.remedies.pack_settings import RepairTerms, list_terms, record_terms, settings_for
from socialcredit.remedies.targets import Target, require_contestable, resolve, subject_id


@dataclass(frozen=True)
class Showing:
    """What the applicant shows."""

    pledge: bool = False
    course: bool = False
    fulfilment: str | None = None  # record id


def apply_repair(
    ledger: Ingestor,
    subject: str,
    *,
    record: str | None = None,
    entry: str | None = None,
    showing: Showing | None = None,
) -> CaseView:
    """Apply for credit repair of a record of ``subject`` or of one of its list entries."""
    store = ledger.store
    subject = subject_id(subject)
    showing = showing or Showing()
    day = today(store.clock)
    now = store.clock.now()
    with store.reader() as conn:
        target = resolve(conn, subject, record=record, entry=entry, day=day)
        require_contestable(conn, target.record)
        if found := open_cases(conn, subject, target.record.id, "repair"):
            raise AlreadyOpen(
                f"repair {found[0].id} about record {target.record.id} is still open",
                field="record",
            )
        policy, _ = policy_at(conn, now)
        ref, records, _roles = load_subject(conn, subject, now)
        settings = settings_for(
            policy, scope_of(ref.kind, effective_records(records, now, day, ref.id), day).area
        )
        entries = entries_for(policy, ref, records, now)
        terms, eligible = _terms(conn, policy, settings, target, entries, now)
        if day < eligible:
            raise TooEarly(
                f"repair of {target.entry.id if target.entry else target.record.id} may be "
                f"applied for from {eligible}",
                field="record",
            )
        _require(conn, policy, terms, showing, target)
    attributes = {
        "target": target.record.id,
        "target_kind": "list_entry" if target.entry else "record",
        "entry": target.entry.id if target.entry else None,
        "pledge": showing.pledge,
        "course_completed": showing.course,
        "fulfilment": showing.fulfilment,
        "eligible_from": eligible,
        "decide_by": repair_decide_by(settings.deadlines, day),
    }

    def build(case_id: str) -> str:
        s.append(ledger, [s.step(subject, s.REPAIR_APPLIED, case_id, day, attributes)])
        return case_id

    return show(store, s.file_case(store, "REP", day, build))


def decide_repair(
    ledger: Ingestor, case_id: str, accept: bool, reasons: str, decided_by: str
) -> CaseView:
    """Accept (effective today: published at once) or refuse a repair application."""
    store = ledger.store
    day = today(store.clock)
    with store.reader() as conn:
        case = load_case(conn, case_id, "repair")
    case.require("decided")
    attributes = {
        "case": case.id,
        "outcome": "accepted" if accept else "refused",
        "reasons": reasons,
        "decided_by": decided_by,
        "effective": day if accept else None,
    }
    s.append(
        ledger, [s.step(case.subject, s.REPAIR_DECIDED, f"{case.id}/decided", day, attributes)]
    )
    return show(store, case.id)


def _terms(
    conn: Connection,
    policy: PolicySet,
    settings: RemedySettings,
    target: Target,
    entries: list[ListEntry],
    now: dt.datetime,
) -> tuple[list[RepairTerms], dt.date]:
    """Every set of terms the repair must meet, and the first day it may be applied for."""
    rec = target.record
    day = day_of(now)
    live = [e for e in entries if e.end > day]
    found: list[RepairTerms] = []
    eligible = dt.date.min
    if target.entry is not None:
        resting = [e for e in live if e.id == target.entry.id]
        if not resting:
            raise NotRepairable(f"{target.entry.id} has ended: nothing to repair", field="entry")
    else:
        resting = [e for e in live if rec.id in (e.ground_record, *e.supporting_records)]
        own = _record_terms(conn, policy, settings, rec, bool(resting), now)
        found.append(own)
        eligible = rec.occurred_at + dt.timedelta(days=own.min_days)
    for e in resting:
        terms = list_terms(settings, e.list)
        if not terms.repairable:
            raise NotRepairable(f"list {e.list}: {terms.reason}", field="entry")
        found.append(terms)
        eligible = max(eligible, e.effective_from + dt.timedelta(days=terms.min_days))
    return found, eligible


def _record_terms(
    conn: Connection,
    policy: PolicySet,
    settings: RemedySettings,
    rec: LedgerRecord,
    listed: bool,
    now: dt.datetime,
) -> RepairTerms:
    category = policy.catalogue.categories.get(rec.category)
    if category is None:
        raise NotRepairable(f"{rec.category} is not in the active catalogue", field="record")
    terms = record_terms(settings, category, rec.attributes)
    if not terms.repairable:
        raise NotRepairable(f"record {rec.id}: {terms.reason}", field="record")
    scored = assess(conn, policy, rec.subject, now)
    counts = any(c.record_id == rec.id for a in scored.schemes.values() for c in a.contributions)
    if not counts and not listed:
        raise NotRepairable(
            f"record {rec.id} no longer counts (its effect has ended): nothing to repair",
            field="record",
        )
    return terms


def _require(
    conn: Connection,
    policy: PolicySet,
    terms: list[RepairTerms],
    showing: Showing,
    target: Target,
) -> None:
    needed = {r for t in terms if t.rule is not None for r in t.rule.requires}
    if "pledge" in needed and not showing.pledge:
        raise MissingRequirement("a public credit pledge is required (`pledge`)", field="pledge")
    if "course" in needed and not showing.course:
        raise MissingRequirement(
            "a completed credit-repair course is required (`course`)", field="course"
        )
    if "fulfilment" not in needed:
        return
    allowed = {c for t in terms if t.rule is not None for c in t.rule.fulfilment_categories}
    names = ", ".join(sorted(allowed))
    if showing.fulfilment is None:
        raise MissingRequirement(f"a fulfilment record is required ({names})", field="fulfilment")
    shown = s.get_record(conn, showing.fulfilment)
    ground = target.record
    current = s.head_of(conn, shown).id == shown.id and not shown.withdrawn
    if shown.subject != ground.subject or not current or shown.category not in allowed:
        raise MissingRequirement(
            f"record {shown.id} is not a current fulfilment record of {ground.subject} ({names})",
            field="fulfilment",
        )
    keys = policy.catalogue.categories
    mine, theirs = keys[ground.category].case_key, keys[shown.category].case_key
    if mine and theirs and ground.attributes.get(mine) != shown.attributes.get(theirs):
        raise MissingRequirement(
            f"record {shown.id} fulfils another act than record {ground.id}", field="fulfilment"
        )


__all__ = ["Showing", "apply_repair", "decide_repair"]
