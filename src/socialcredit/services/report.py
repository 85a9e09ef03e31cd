"""A subject's full report: what counts, the lists it is on, the measures in force, and how
each thing can be contested, repaired or will end.

The assessment part is the engine's (:mod:`socialcredit.engine.report`); this
use case adds what spans packages, at the same ``at`` and ``known_at``:

* every contribution's provider, the rule's legal basis, the day it stops
  counting (``expires_on``) and the exact objection path for its record;
* ``entries``: the subject's list entries (and, for a person, those of the
  organisations it represents or manages) with their status at ``at``, dates,
  ground record (case number, amount, provider, objection path), legal basis
  and the measures each triggers for the subject, with the actions they restrict;
* ``measures``: the measures in force at ``at``, with their actions;
* ``better_grade``: for each scheme below its best grade, the way to the next
  better grade -- the day it comes by itself, and which contributions ending
  sooner would bring it, each with how it can end early (a removal record of
  the rule's ``ended_by`` categories about the same act, or credit repair and
  from when).
* ``risk`` (when asked: the subject's own report): the risk score under the active
  model, the four reasons lowering it most (English and Chinese) and the model version;
  None without an active model. It informs a review and is shown to the subject: no
  list entry or measure follows from it.
* ``linked_by_matching``: the records that arrived without an identifier and were
  linked to the subject by entity resolution (model version, probability, confirmed
  by a reviewer or not), each with its objection path; the contributions they make
  say ``linked_by_matching: true``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Connection, select

from socialcredit.clock import day_of, naive_utc
from socialcredit.enforcement.decide import applying
from socialcredit.enforcement.model import ListEntry
from socialcredit.enforcement.paths import objection_path
from socialcredit.enforcement.service import entries_from_ledger
from socialcredit.engine.ledger_view import assess, load_subject, place_on
from socialcredit.engine.links import linked_by_matching
from socialcredit.engine.model import Assessment, SubjectRef
from socialcredit.engine.report import to_json
from socialcredit.ledger.policy_store import policy_at
from socialcredit.policy.policy_set import PolicySet
from socialcredit.remedies.terms import record_repair
from socialcredit.store.bulk import select_in
from socialcredit.store.database import Store
from socialcredit.store.tables import providers
from socialcredit.supervision.risk.service import shown_score


def subject_report(
    store: Store,
    subject: str,
    at: dt.datetime | None = None,
    known_at: dt.datetime | None = None,
    *,
    risk: bool = False,
) -> dict[str, Any]:
    """The report of ``subject`` at ``at`` as known at ``known_at`` (default: ``at``);
    with ``risk``, the subject's risk score and its reasons too."""
    when = naive_utc(store.clock.now() if at is None else at)
    known = when if known_at is None else naive_utc(known_at)
    with store.reader() as conn:
        policy, note = policy_at(conn, when)
        assessment = assess(conn, policy, subject, when, known)
        ref = SubjectRef(assessment.subject, assessment.kind)
        place = place_on(conn, ref, when, known)
        own, roles = entries_from_ledger(conn, policy, ref, when, known)
        _ref, ledger, _roles = load_subject(conn, subject, known)
        linked = linked_by_matching(ledger)
        ids = {c.record_id for s in assessment.schemes.values() for c in s.contributions}
        records = _records(conn, ids | set(linked))
        names = {r.id: r.name for r in conn.execute(select(providers.c.id, providers.c.name))}
    body = to_json(assessment, note)
    day = day_of(when)
    _contributions(body, policy, assessment, records, names)
    body["entries"] = _entries(policy, ref, own, roles, day, names)
    applied, _used = applying(policy, ref, own, roles, day, place=place)
    body["measures"] = [
        {
            **m.model_dump(mode="json"),
            "actions": list(policy.measures[m.measure].definition.actions),
        }
        for m in applied
    ]
    _how_to_lift(body, policy, place.area, records)
    if risk:
        scored = shown_score(store, subject, known_at=known)
        body["risk"] = None if scored is None else scored.to_dict()
    body["linked_by_matching"] = _linked(assessment.subject, linked, records, names)
    for item in body["contributions"]:
        item["linked_by_matching"] = item["record_id"] in linked
    return body


def _linked(
    subject: str,
    linked: Mapping[str, dict[str, Any]],
    records: Mapping[str, dict[str, Any]],
    names: Mapping[str, str],
) -> list[dict[str, Any]]:
    """The records that arrived without an identifier and were linked to the subject by
    entity resolution: how sure the match was, whether a reviewer confirmed it (only
    then may it ground a list entry or a measure), and how to object to it -- an
    objection to the record, like any record's (not me: grounds ``wrong``)."""
    out = []
    for rid, link in sorted(linked.items(), key=lambda kv: kv[1].get("linked_on") or ""):
        rec = records.get(rid, {})
        occurred = rec.get("occurred_at")
        out.append(
            {
                **link,
                "category": rec.get("category"),
                "occurred_at": occurred.isoformat() if occurred else None,
                "provider": rec.get("provider"),
                "provider_name": names.get(rec.get("provider", "")),
                "objection": objection_path(subject, rid).model_dump(),
            }
        )
    return out


def _actions(policy: PolicySet, measure: str) -> tuple[str, ...]:
    return policy.measures[measure].definition.actions


def _records(conn: Connection, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    columns = ("id", "subject", "provider", "category", "occurred_at")
    rows = select_in(conn, "records", columns, "id", ids)
    return {
        r[0]: {
            "subject": r[1],
            "provider": r[2],
            "category": r[3],
            "occurred_at": r[4] if isinstance(r[4], dt.date) else dt.date.fromisoformat(r[4]),
        }
        for r in rows
    }


def _contributions(
    body: dict[str, Any],
    policy: PolicySet,
    assessment: Assessment,
    records: Mapping[str, dict[str, Any]],
    names: Mapping[str, str],
) -> None:
    rules = {r.id: r.rule for r in policy.rules}
    for item in body["contributions"]:
        rec = records.get(item["record_id"], {})
        rule = rules.get(item["rule_id"])
        owner = rec.get("subject", assessment.subject)
        by = assessment.subject if owner != assessment.subject else None
        item["provider"] = rec.get("provider")
        item["provider_name"] = names.get(rec.get("provider", ""))
        item["legal_basis"] = rule.basis_text if rule is not None else None
        item["expires_on"] = item["end"]
        item["objection"] = objection_path(owner, item["record_id"], by=by).model_dump()


def _entries(
    policy: PolicySet,
    ref: SubjectRef,
    own: list[ListEntry],
    roles: list[tuple[str, str, ListEntry]],
    day: dt.date,
    names: Mapping[str, str],
) -> list[dict[str, Any]]:
    out = []
    reaching = [("subject", None, e) for e in own] + [(r, org, e) for r, org, e in roles]
    for target, via, entry in reaching:
        info = policy.lists.get(entry.list)
        current = entry.on(day)
        item: dict[str, Any] = {
            **current.model_dump(mode="json", exclude={"ground"}),
            "title": info.definition.title if info is not None else entry.list,
            "reaches_as": target,
            "via": via,
            "ground": None,
            "measures": [
                {
                    "measure": m.definition.name,
                    "title": m.definition.title,
                    "effect": m.definition.effect,
                    "condition": m.definition.condition,
                    "actions": list(m.definition.actions),
                    "legal_basis": m.definition.basis_text,
                }
                for m in policy.measures.values()
                if entry.list in m.definition.lists and target in m.definition.targets
            ],
        }
        if entry.ground is not None:
            g = entry.ground
            by = ref.id if via is not None else None
            item["ground"] = {
                **g.model_dump(mode="json"),
                "provider_name": names.get(g.provider),
                "objection": objection_path(entry.subject, g.record, by=by).model_dump(),
            }
        out.append(item)
    return out


def _how_to_lift(
    body: dict[str, Any],
    policy: PolicySet,
    area: str | None,
    records: Mapping[str, dict[str, Any]],
) -> None:
    """Each contribution on the way to a better grade says how it can end early."""
    rules = {r.id: r.rule for r in policy.rules}
    for path in body["better_grade"].values():
        for lift in (*path["ending"], *path["sooner"]):
            rule = rules.get(lift["rule_id"])
            rec = records.get(lift["record_id"], {})
            category = rec.get("category", "")
            repair = record_repair(policy, area, category)
            occurred = rec.get("occurred_at")
            lift["category"] = category
            lift["ended_by"] = list(rule.ended_by) if rule is not None else []
            lift["repair"] = {
                "repairable": repair.repairable,
                "min_days": repair.min_days,
                "counted_from": repair.counted_from,
                "requires": list(repair.requires),
                "eligible_from": (
                    (occurred + dt.timedelta(days=repair.min_days)).isoformat()
                    if repair.repairable and isinstance(occurred, dt.date)
                    else None
                ),
                "reason": repair.reason,
            }
