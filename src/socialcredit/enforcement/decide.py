"""The check: may this subject do this action now? A pure function of entries and policy.

``decide`` implements ``docs/lists.md`` ("The check", steps 1-4); finding the
entries (step 1) is the caller's: :func:`socialcredit.enforcement.entries.entries_for`
for the subject and for each organisation in which it holds a role, found
with :func:`roles_of`. Writing the decision log (step 5) is the service's.

Decisions where ``docs/lists.md`` leaves room:

* An entry counts when it is in force on the day of ``at`` by its dates and
  suspensions (``effective_from <= d < end``, not suspended); pending, suspended
  and ended entries never count. The entries a decision names carry their
  status on that day (:meth:`ListEntry.on`), so the answer and the entries it
  shows always agree.
* A measure applies only to subjects its pack's jurisdiction covers (the
  checked subject's area of residence or registration on the day, ``place``),
  as lists and schemes do; a subject no record places meets national measures
  only.
* Every applicable measure is named, the weaker ones too (a privilege beside
  a deny is shown, and does not change the outcome); measures come strongest
  first. ``entries`` are those that triggered a measure; ``records`` their
  ground and supporting records; ``legal_bases`` those of the measures, then
  of the entries, each once.
* Role targets reach only persons: ``role_entries`` given for an organisation
  are ignored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

from socialcredit.clock import day_of, naive_utc
from socialcredit.enforcement.entries import is_active
from socialcredit.enforcement.model import (
    PRECEDENCE,
    AppliedMeasure,
    Decision,
    Ground,
    ListEntry,
)
from socialcredit.enforcement.paths import objection_path
from socialcredit.engine.model import LedgerRecord, SubjectRef
from socialcredit.engine.records import effective_records
from socialcredit.engine.scope import NOWHERE, Scope, area_covered
from socialcredit.policy.policy_set import MeasureInfo, PolicySet

LEGAL_REPRESENTATIVE = "registry.legal_representative"
CONTROLLER = "registry.controller"
RESPONSIBLE_PERSON = "registry.responsible_person"
RESPONSIBLE_ROLES = ("principal_manager", "directly_responsible")


def decide(
    policy: PolicySet,
    subject: SubjectRef,
    action: str,
    own_entries: Sequence[ListEntry],
    role_entries: Sequence[tuple[str, str, ListEntry]],
    at: dt.datetime,
    known_at: dt.datetime | None = None,
    *,
    provider_names: Mapping[str, str] | None = None,
    purpose: str | None = None,
    reference: str | None = None,
    place: Scope = NOWHERE,
) -> Decision:
    """The decision on ``action`` for ``subject`` at ``at`` (docs/lists.md, "The check").

    ``own_entries`` are the subject's list entries; ``role_entries`` are
    ``(role, organisation id, entry)`` for the entries of organisations in which
    the subject holds ``role`` (``legal_representative``, ``principal_manager``,
    ``directly_responsible``, ``controller``) on the day of ``at``.
    ``provider_names`` names the providers of the ground records; ``purpose`` and
    ``reference`` are the relying party's, echoed in the decision. ``place`` is where
    the subject is on that day (:func:`socialcredit.engine.ledger_view.place_on`).
    """
    at_utc = naive_utc(at)
    known = at_utc if known_at is None else naive_utc(known_at)
    day = day_of(at_utc)
    applied, used = applying(policy, subject, own_entries, role_entries, day, action, place)
    names: Mapping[str, str] = {} if provider_names is None else provider_names
    applied.sort(key=lambda a: PRECEDENCE.index(a.effect))
    outcome = applied[0].effect if applied else "allow"
    entries = tuple(e for e, _via in used.values())
    records = [r for e in entries for r in (e.ground_record, *e.supporting_records) if r]
    bases = [a.legal_basis for a in applied] + [e.legal_basis for e in entries]
    return Decision(
        subject=subject.id,
        action=action,
        outcome=outcome,
        measures=tuple(applied),
        entries=entries,
        records=_unique(records),
        grounds=tuple(
            g for e, via in used.values() if (g := ground_of(e, subject.id, via, names)) is not None
        ),
        legal_bases=_unique(bases),
        policy_version=policy.version,
        at=at_utc,
        known_at=known,
        purpose=purpose,
        reference=reference,
    )


def applying(
    policy: PolicySet,
    subject: SubjectRef,
    own_entries: Sequence[ListEntry],
    role_entries: Sequence[tuple[str, str, ListEntry]],
    day: dt.date,
    action: str | None = None,
    place: Scope = NOWHERE,
) -> tuple[list[AppliedMeasure], dict[str, tuple[ListEntry, str | None]]]:
    """The measures in force for ``subject`` on ``day`` (on ``action``, or on any action),
    and the entries that trigger them, each with its status on ``day`` and the
    organisation it reaches the subject through (None: its own)."""
    reaching: list[tuple[str, str | None, ListEntry]] = [("subject", None, e) for e in own_entries]
    if subject.kind == "person":
        reaching.extend((role, org, e) for role, org, e in role_entries)
    applied: list[AppliedMeasure] = []
    used: dict[str, tuple[ListEntry, str | None]] = {}
    for info in _measures_for(policy, action, place):
        m = info.definition
        for target, via, entry in reaching:
            if entry.list in m.lists and target in m.targets and is_active(entry, day):
                applied.append(
                    AppliedMeasure(
                        measure=m.name,
                        title=m.title,
                        effect=m.effect,
                        condition=m.condition,
                        legal_basis=m.basis_text,
                        agencies=m.agencies,
                        entry=entry.id,
                        list=entry.list,
                        target=target,
                        via=via,
                    )
                )
                used.setdefault(entry.id, (entry.on(day), via))  # its status on the day
    return applied, used


def ground_of(
    entry: ListEntry, subject: str, via: str | None, provider_names: Mapping[str, str]
) -> Ground | None:
    """The entry's ground record as a decision names it, with the exact way to object:
    by the listed subject (an organisation's, through its representative ``subject``)."""
    g = entry.ground
    if g is None:
        return None
    path = objection_path(entry.subject, g.record, by=subject if via is not None else None)
    # built for every refusal: the values come from a validated entry, so no validation
    return Ground.model_construct(
        record=g.record,
        entry=entry.id,
        list=entry.list,
        category=g.category,
        case_key=g.case_key,
        case_no=g.case_no,
        amount=g.amount,
        occurred_at=g.occurred_at,
        provider=g.provider,
        provider_name=provider_names.get(g.provider),
        objection=path,
    )


def _measures_for(policy: PolicySet, action: str | None, place: Scope) -> list[MeasureInfo]:
    return [
        info
        for info in policy.measures.values()
        if (action is None or action in info.definition.actions)
        and area_covered(info.jurisdiction, place)
    ]


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v))


def roles_of(
    person: str,
    role_records: Iterable[LedgerRecord],
    at: dt.datetime,
    known_at: dt.datetime | None = None,
) -> list[tuple[str, str]]:
    """``(role, organisation id)`` for every role ``person`` holds on the day of ``at``.

    ``role_records`` are the role registry records of any organisations
    (``registry.legal_representative``, ``registry.controller``,
    ``registry.responsible_person``) and any record superseding one. As in
    docs/engine.md step 13: records whose ``ended`` is absent or after the day
    count; of an organisation's legal representatives only the latest (by
    ``occurred_at``, then ``seq``) holds the role; a responsible person's role is
    its ``role`` attribute (``principal_manager`` or ``directly_responsible``).
    """
    at_utc = naive_utc(at)
    known = at_utc if known_at is None else naive_utc(known_at)
    day = day_of(at_utc)
    by_org: dict[str, list[LedgerRecord]] = {}
    for r in role_records:
        by_org.setdefault(r.subject, []).append(r)
    held: set[tuple[str, str]] = set()
    for org, records in by_org.items():
        current = [r for r in effective_records(records, known, day, org) if _current(r, day)]
        reps = [r for r in current if r.category == LEGAL_REPRESENTATIVE]
        latest = max(reps, key=lambda r: (r.occurred_at, r.seq), default=None)
        if latest is not None and latest.attributes.get("person") == person:
            held.add(("legal_representative", org))
        for r in current:
            if r.attributes.get("person") != person:
                continue
            if r.category == CONTROLLER:
                held.add(("controller", org))
            elif r.category == RESPONSIBLE_PERSON:
                role = r.attributes.get("role")
                if role in RESPONSIBLE_ROLES:
                    held.add((str(role), org))
    return sorted(held, key=lambda h: (h[1], h[0]))


def _current(record: LedgerRecord, day: dt.date) -> bool:
    ended = record.attributes.get("ended")
    return ended is None or (isinstance(ended, str) and ended > day.isoformat())


__all__ = ["applying", "decide", "ground_of", "roles_of"]
