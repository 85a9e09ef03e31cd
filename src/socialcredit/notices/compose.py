"""What a notice says: built from a list entry or an assessment and the active policy.

Every notice names what changed, why (the records and the rules), the legal
basis, the day it takes or took effect, how to object and how to repair, and
the deadlines. The objection deadlines (if the subject objects on the day of
the notice) and the repair conditions come from the active packs'
``remedies.yaml`` through :mod:`socialcredit.remedies.terms`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from socialcredit.enforcement.model import ListEntry
from socialcredit.enforcement.paths import (
    OBJECTION_COMMAND,
    OBJECTION_ENDPOINT,
    REPAIR_COMMAND,
    REPAIR_ENDPOINT,
)
from socialcredit.engine.scope import Scope, area_covered
from socialcredit.notices.model import (
    Deadline,
    MeasureRef,
    NoticeBody,
    NoticeKind,
    Objection,
    RecordRef,
    Repair,
)
from socialcredit.policy.lists import ListDef, Removal
from socialcredit.policy.policy_set import PolicySet
from socialcredit.policy.predicate import Predicate, describe
from socialcredit.remedies.terms import (
    RepairStatement,
    entry_repair,
    objection_deadlines,
    objection_periods,
)


def _nowhere(subject: str) -> str | None:
    return None


@dataclass(frozen=True)
class Context:
    """What composing notices needs: the policy, the time, the records named, and where
    a subject is (``area_of``: its area of residence or registration now, None when no
    record places it)."""

    policy: PolicySet
    now: dt.datetime
    today: dt.date
    records: Mapping[str, RecordRef]
    area_of: Callable[[str], str | None] = _nowhere


def predicate_text(pred: Predicate | None) -> str:
    if pred is None:
        return ""
    return str(pred.model_dump(by_alias=True, exclude_none=True))


# list_measures by (policy, list, area): a batch's notices name the same few lists
_MEASURES: dict[tuple[int, str, str | None], tuple[PolicySet, tuple[MeasureRef, ...]]] = {}


def list_measures(policy: PolicySet, list_name: str, area: str | None) -> tuple[MeasureRef, ...]:
    """The measures a list triggers for its own subject placed in this area."""
    key = (id(policy), list_name, area)
    held = _MEASURES.get(key)
    if held is not None and held[0] is policy:
        return held[1]
    if len(_MEASURES) >= 4096:
        _MEASURES.clear()
    found = _list_measures(policy, list_name, area)
    _MEASURES[key] = (policy, found)
    return found


def _list_measures(policy: PolicySet, list_name: str, area: str | None) -> tuple[MeasureRef, ...]:
    place = Scope(area=area)
    out = []
    for info in policy.measures.values():
        m = info.definition
        if (
            list_name in m.lists
            and "subject" in m.targets
            and area_covered(info.jurisdiction, place)
        ):
            out.append(MeasureRef.of(m, "subject"))
    return tuple(out)


def objection(
    policy: PolicySet,
    area: str | None,
    records: Iterable[str],
    today: dt.date,
    before: dt.date | None,
) -> Objection:
    names = tuple(r for r in dict.fromkeys(records) if r)
    text = (
        f"To object, name the record(s) {', '.join(names) or '(none)'} with "
        f"`{OBJECTION_COMMAND}` or {OBJECTION_ENDPOINT}: {objection_periods(policy, area)}."
    )
    deadlines = [
        Deadline(what=what, date=day) for what, day in objection_deadlines(policy, area, today)
    ]
    if before is not None and before > today:
        text += f" Object before {before.isoformat()} to be heard before it takes effect."
        deadlines.append(Deadline(what="object before it takes effect", date=before))
    return Objection(
        command=OBJECTION_COMMAND,
        endpoint=OBJECTION_ENDPOINT,
        records=names,
        text=text,
        deadlines=tuple(deadlines),
    )


_FROM = {"effective_from": "took effect", "occurred_at": "happened"}


def removal_text(rule: Removal) -> str:
    """One removal rule in words: which record ends the listing."""
    where = f" where {describe(rule.when)}" if rule.when is not None else ""
    what = ", ".join(rule.categories)
    if rule.match == "subject":
        return f"a later record of {what}{where} about you"
    return f"a record of {what}{where} about the same act"


def requires_text(terms: RepairStatement) -> str:
    if not terms.requires:
        return ""
    shown = {
        "fulfilment": "the obligation fulfilled",
        "pledge": "a credit pledge",
        "course": "a completed credit-repair course",
    }
    return " with " + " and ".join(shown.get(r, r) for r in terms.requires)


def listing_repair(ctx: Context, entry: ListEntry, ld: ListDef | None, area: str | None) -> Repair:
    terms = entry_repair(ctx.policy, area, entry.list)
    start = entry.effective_from if terms.counted_from == "effective_from" else entry.pending_from
    eligible = start + dt.timedelta(days=terms.min_days) if terms.repairable else None
    removal = ld.removal_categories if ld is not None else ()
    parts = []
    if ld is not None and ld.removal:
        parts.append(
            "The listing ends as soon as "
            + "; or ".join(removal_text(rule) for rule in ld.removal)
            + f" is reported (ask the listing authority, {entry.authority}, to report it)."
        )
    if eligible is not None:
        parts.append(
            f"You may apply for credit repair (`{REPAIR_COMMAND}` or {REPAIR_ENDPOINT}) from "
            f"{eligible.isoformat()}{requires_text(terms)}: a minimum of {terms.min_days} days "
            f"counted from the day it {_FROM[terms.counted_from]}"
            + (f" ({terms.legal_basis})." if terms.legal_basis else ".")
        )
    else:
        parts.append(f"Credit repair does not apply: {terms.reason or 'see the list'}.")
    parts.append(f"The listing ends at the latest on {entry.ends_at.isoformat()}.")
    return Repair(
        text=" ".join(parts),
        minimum_days=terms.min_days,
        eligible_from=eligible,
        removal_categories=removal,
        basis=terms.legal_basis,
    )


_ENTRY_TITLES: dict[str, str] = {
    "listing_pending": "Listing pending",
    "listing_effective": "Listed",
    "listing_ended": "Listing ended",
    "red_listing": "Listed (reward)",
}


def entry_body(
    kind: NoticeKind,
    entry: ListEntry,
    ctx: Context,
    area: str | None,
    *,
    role: str | None = None,
    reason: str | None = None,
    reinstated: dt.date | None = None,
) -> NoticeBody:
    """A notice about a list entry: pending, in effect, ended, or a red-list entry.

    ``reinstated``: the day an entry that had stopped counting (its ground suspended,
    say) counts again; the notice takes effect that day."""
    info = ctx.policy.lists.get(entry.list)
    ld = info.definition if info is not None else None
    title = ld.title if ld is not None else entry.list
    measures = list_measures(ctx.policy, entry.list, area)
    ended = kind == "listing_ended"
    effective_on = entry.end if ended else reinstated or entry.effective_from
    if ended:
        what = f"{entry.subject} is no longer on the {title} from {entry.end.isoformat()}"
        what += f" ({reason})." if reason else "."
    elif kind == "listing_pending":
        notice_days = (entry.effective_from - entry.pending_from).days
        what = (
            f"{entry.subject} will be entered in the {title} ({entry.authority}) on "
            f"{entry.effective_from.isoformat()}, after {notice_days} days' notice, "
            f"until {entry.ends_at.isoformat()} at the latest."
        )
    else:
        what = (
            f"{entry.subject} is on the {title} ({entry.authority}) from "
            f"{entry.effective_from.isoformat()} until {entry.end.isoformat()} at the latest."
        )
        if reinstated is not None:
            what += f" The entry counts again from {reinstated.isoformat()}."
    if measures and not ended:
        what += " Measures: " + "; ".join(f"{m.title} ({m.effect})" for m in measures) + "."
    if role is not None:
        what += f" You receive this notice as {role.replace('_', ' ')} of {entry.subject}."
    ids = [entry.ground_record or "", *entry.supporting_records, entry.removed_by or ""]
    refs = tuple(ctx.records[i] for i in ids if i in ctx.records)
    rules = []
    if ld is not None:
        rules.append(
            f"{ld.name}: entry on records of {', '.join(ld.entry.categories)}"
            + (f" where {predicate_text(ld.entry.when)}" if ld.entry.when else "")
            + f"; notice {ld.notice_days} days"
            + (f" ({ld.zero_notice_text})" if ld.notice_days == 0 and ld.zero_notice_text else "")
        )
    ground = ctx.records.get(entry.ground_record or "")
    why = (
        f"Record {ground.id} ({ground.category}, {ground.occurred_at.isoformat()}, reported by "
        f"{ground.provider}) meets the entry criteria of the {title}."
        if ground is not None
        else f"The entry criteria of the {title} are met."
    )
    bases = [entry.legal_basis, *(m.legal_basis for m in (() if ended else measures))]
    deadlines = [Deadline(what="takes effect", date=entry.effective_from)] if not ended else []
    if not ended:
        deadlines.append(Deadline(what="ends at the latest", date=entry.ends_at))
    adverse = (entry.kind == "black") != ended
    repair = listing_repair(ctx, entry, ld, area) if adverse and entry.kind == "black" else None
    if repair is not None and repair.eligible_from is not None:
        deadlines.append(Deadline(what="repair may be applied for from", date=repair.eligible_from))
    before = entry.effective_from if kind == "listing_pending" else None
    return NoticeBody(
        kind=kind,
        adverse=adverse,
        title=f"{_ENTRY_TITLES[kind]}: {title} ({effective_on.isoformat()})",
        what=what,
        list=entry.list,
        list_title=title,
        list_kind=entry.kind,
        entry=entry.id,
        role=role,
        measures=() if ended else measures,
        why=why,
        records=refs,
        rules=tuple(rules),
        legal_basis=tuple(b for b in dict.fromkeys(bases) if b),
        effective_on=effective_on,
        ends_on=None if ended else entry.end,
        objection=objection(
            ctx.policy, area, [r.id for r in refs if r.id != entry.removed_by], ctx.today, before
        ),
        repair=repair,
        deadlines=tuple(deadlines),
    )


def measure_body(
    person: str,
    organisation: str,
    entry: ListEntry,
    measures: tuple[MeasureRef, ...],
    valid_from: dt.date,
    valid_to: dt.date,
    ctx: Context,
) -> NoticeBody:
    """A notice to a person that measures apply to them through an organisation's entry."""
    area = ctx.area_of(organisation)
    info = ctx.policy.lists.get(entry.list)
    title = info.definition.title if info is not None else entry.list
    roles = sorted({m.target for m in measures})
    ground = ctx.records.get(entry.ground_record or "")
    return NoticeBody(
        kind="measure_applies",
        adverse=True,
        title=f"Measures apply to you: {title} of {organisation} ({valid_from.isoformat()})",
        what=(
            f"As {', '.join(r.replace('_', ' ') for r in roles)} of {organisation}, which is on "
            f"the {title}, {person} is subject from {valid_from.isoformat()} until "
            f"{valid_to.isoformat()} at the latest to: "
            + "; ".join(f"{m.title} ({m.effect})" for m in measures)
            + "."
        ),
        list=entry.list,
        list_title=title,
        list_kind=entry.kind,
        entry=entry.id,
        via=organisation,
        role=roles[0] if roles else None,
        measures=measures,
        why=(
            f"The measures reach the persons who hold these roles in a listed organisation; the "
            f"organisation's entry rests on record {entry.ground_record}."
        ),
        records=(ground,) if ground is not None else (),
        rules=tuple(f"{m.measure}: targets {m.target}" for m in measures),
        legal_basis=tuple(dict.fromkeys([entry.legal_basis, *(m.legal_basis for m in measures)])),
        effective_on=valid_from,
        ends_on=valid_to,
        objection=objection(ctx.policy, area, [entry.ground_record or ""], ctx.today, None),
        repair=listing_repair(ctx, entry, info.definition if info else None, area),
        deadlines=(Deadline(what="ends at the latest", date=valid_to),),
    )
