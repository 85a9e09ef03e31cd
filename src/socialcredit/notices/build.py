"""Turning changes into notices: one per recipient, with the records they name loaded.

Shared by the ingestion hook (:mod:`socialcredit.notices.changes`) and the
sweep (:mod:`socialcredit.notices.sweep`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection

from socialcredit.clock import day_of, naive_utc
from socialcredit.enforcement.model import ListEntry
from socialcredit.engine.ledger_view import locate
from socialcredit.engine.model import SubjectRef
from socialcredit.identifiers import parse
from socialcredit.notices.compose import Context, entry_body, measure_body
from socialcredit.notices.model import MeasureRef, Notice, NoticeKind, RecordRef, make_notice
from socialcredit.notices.recipients import (
    ORGANISATIONS,
    legal_representatives,
    recipients_given,
)
from socialcredit.policy.policy_set import PolicySet
from socialcredit.store.bulk import select_in


@dataclass(frozen=True)
class EntryChange:
    """A list entry to notify about, as ``kind``; ``reason`` says why an entry ended,
    ``reinstated`` the day an entry that had stopped counting counts again."""

    kind: NoticeKind
    entry: ListEntry
    reason: str | None = None
    reinstated: dt.date | None = None


@dataclass(frozen=True, slots=True)
class RoleRow:
    """An enforcement index row reaching a person through an organisation's entry."""

    subject: str
    measure: str
    entry: str
    owner: str
    target: str
    valid_from: dt.date
    valid_to: dt.date


def record_refs(conn: Connection, ids: Iterable[str]) -> dict[str, RecordRef]:
    wanted = {i for i in ids if i}
    rows = select_in(
        conn, "records", ("id", "category", "provider", "occurred_at", "legal_basis"), "id", wanted
    )
    return {
        r[0]: RecordRef(
            id=r[0],
            category=r[1],
            provider=r[2],
            occurred_at=r[3] if isinstance(r[3], dt.date) else dt.date.fromisoformat(r[3]),
            legal_basis=r[4],
        )
        for r in rows
    }


def subject_refs(conn: Connection, ids: Iterable[str]) -> dict[str, SubjectRef]:
    """Subjects by id; one no record is about (only named) is described by its identifier."""
    wanted = set(ids)
    rows = select_in(conn, "subjects", ("id", "kind"), "id", wanted)
    out = {r[0]: SubjectRef(r[0], r[1]) for r in rows}
    for missing in wanted - set(out):
        ident = parse(missing)
        out[missing] = SubjectRef(ident.value, ident.kind)
    return out


def context(
    conn: Connection,
    policy: PolicySet,
    now: dt.datetime,
    record_ids: Iterable[str],
    subjects: Iterable[str] = (),
) -> Context:
    """What composing notices needs; ``subjects`` (those the notices concern) are
    located together up front."""
    return Context(
        policy,
        naive_utc(now),
        day_of(now),
        record_refs(conn, record_ids),
        locate(conn, now, subjects=subjects),
    )


def entry_record_ids(entries: Iterable[ListEntry]) -> set[str]:
    out: set[str] = set()
    for e in entries:
        out.update(i for i in (e.ground_record, e.removed_by, *e.supporting_records) if i)
    return out


def entry_notices(conn: Connection, ctx: Context, changes: Sequence[EntryChange]) -> list[Notice]:
    """The notices for these entry changes: to the subject and its legal representative."""
    refs = subject_refs(conn, {c.entry.subject for c in changes})
    organisations = [r.id for r in refs.values() if r.kind in ORGANISATIONS]
    representatives = legal_representatives(conn, organisations, ctx.now)
    out: list[Notice] = []
    for change in changes:
        subject = refs[change.entry.subject]
        for recipient, role in recipients_given(subject.id, representatives.get(subject.id)):
            body = entry_body(
                change.kind,
                change.entry,
                ctx,
                ctx.area_of(subject.id),
                role=role,
                reason=change.reason,
                reinstated=change.reinstated,
            )
            out.append(make_notice(recipient, subject.id, change.entry.id, ctx.now, body))
    return out


def role_notices(
    ctx: Context, rows: Iterable[RoleRow], entries: dict[str, ListEntry]
) -> list[Notice]:
    """Notices to persons that measures newly apply to them through an organisation's
    entry: one per (person, entry, first day), naming every measure."""
    groups: dict[tuple[str, str, dt.date], list[RoleRow]] = {}
    for row in rows:
        groups.setdefault((row.subject, row.entry, row.valid_from), []).append(row)
    out: list[Notice] = []
    for (person, entry_id, start), found in sorted(groups.items()):
        entry = entries.get(entry_id)
        if entry is None:
            continue
        measures = []
        for row in sorted(found, key=lambda r: (r.measure, r.target)):
            info = ctx.policy.measures.get(row.measure)
            if info is None:
                continue
            m = info.definition
            measures.append(MeasureRef.of(m, row.target))
        if not measures:
            continue
        unique = tuple({m.measure: m for m in measures}.values())
        end = max(r.valid_to for r in found)
        body = measure_body(person, entry.subject, entry, unique, start, end, ctx)
        out.append(make_notice(person, person, entry.id, ctx.now, body))
    return out
