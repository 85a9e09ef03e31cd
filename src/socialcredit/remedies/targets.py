"""What a case is about: the contested record (or the list entry resting on it),
and the provider's records that carry out a correction or a withdrawal.

An objection or repair names a record of the subject, or one of the subject's
list entries, which stands for its ground record (docs/remedies.md: "the CLI
and API resolve that for the subject"). Corrections and withdrawals are the
ordinary ``supersedes`` records of the provider that reported the record,
superseding its current version.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from socialcredit.enforcement.model import ListEntry
from socialcredit.engine.model import LedgerRecord
from socialcredit.errors import Malformed, NotFound
from socialcredit.identifiers import parse
from socialcredit.ledger.record import record_id
from socialcredit.remedies.errors import MissingRequirement, NotContestable, WrongParty
from socialcredit.remedies.steps import get_record, head_of
from socialcredit.remedies.unlink import matched, unlink
from socialcredit.store.tables import list_entries


@dataclass(frozen=True)
class Target:
    record: LedgerRecord
    entry: ListEntry | None = None


def subject_id(subject: str) -> str:
    """A subject's identifier, validated and normalised."""
    return parse(subject, "subject").value


def resolve(
    conn: Connection,
    subject: str,
    *,
    record: str | None = None,
    entry: str | None = None,
    day: dt.date,
) -> Target:
    """The record (or list entry and its ground record) a case of ``subject`` names; an
    entry comes with its status on ``day``."""
    if (record is None) == (entry is None):
        raise Malformed("name either a record or a list entry", field="record")
    found: ListEntry | None = None
    if entry is not None:
        row = conn.execute(
            select(list_entries.c.status_basis).where(list_entries.c.id == entry)
        ).first()
        if row is None:
            raise NotFound(f"no list entry {entry!r}", field="entry")
        found = ListEntry.load(row.status_basis, day)
        if found.subject != subject or found.ground_record is None:
            raise NotFound(f"no list entry {entry!r} of {subject}", field="entry")
        record = found.ground_record
    assert record is not None
    rec = get_record(conn, record)
    if rec.subject != subject:
        raise NotFound(f"record {record} is not about {subject}", field="record")
    return Target(rec, found)


def entries_resting_on(
    conn: Connection, subject: str, record: str, day: dt.date
) -> list[ListEntry]:
    """The subject's stored list entries whose ground or supporting record is ``record``,
    with their status on ``day``."""
    rows = conn.execute(
        select(list_entries.c.status_basis).where(list_entries.c.subject == subject)
    )
    found = [ListEntry.load(r.status_basis, day) for r in rows]
    return [e for e in found if record == e.ground_record or record in e.supporting_records]


def require_contestable(conn: Connection, rec: LedgerRecord) -> None:
    """A record can be contested or repaired while it is current and not a remedy step."""
    if rec.category.startswith("remedy."):
        raise NotContestable(
            f"{rec.id} is a due-process step ({rec.category}), not a record about conduct",
            field="record",
        )
    if rec.withdrawn:
        raise NotContestable(f"{rec.id} is a withdrawal", field="record")
    head = head_of(conn, rec)
    if head.id != rec.id:
        how = "withdrawn" if head.withdrawn else f"corrected by {head.id}"
        raise NotContestable(f"record {rec.id} has already been {how}", field="record")


def carry_out(
    conn: Connection,
    target: LedgerRecord,
    outcome: str,
    case: str,
    correction: dict[str, Any] | None = None,
    suffix: str = "",
    *,
    day: dt.date,
) -> tuple[list[dict[str, Any]], str | None]:
    """The provider's records that carry out ``outcome`` on ``target``'s current version,
    and the id of the correction: nothing for ``upheld``; a withdrawal for
    ``withdrawn`` (unless already withdrawn) -- or, for a record linked to the subject
    by matching, the undoing of the link (:mod:`socialcredit.remedies.unlink`); the
    given correction for ``corrected`` (or the correction already made, if the provider
    made one)."""
    head = head_of(conn, target)
    if outcome == "upheld":
        return [], None
    if outcome == "withdrawn":
        if head.withdrawn:
            return [], None
        if (link := matched(conn, target)) is not None:
            hinted, linked = link
            return unlink(head, linked, hinted, case, suffix, day), None
        return [_withdrawal(head, case, suffix)], None
    if correction is None:
        if head.id != target.id and not head.withdrawn:
            return [], head.id
        raise MissingRequirement(
            "a corrected outcome needs the corrected record (`correction`)", field="correction"
        )
    if head.withdrawn:
        raise NotContestable(f"record {target.id} was withdrawn: nothing to correct")
    row = _correction(head, correction, case, suffix)
    return [row], record_id(row["provider"], row["ref"])


def _withdrawal(head: LedgerRecord, case: str, suffix: str) -> dict[str, Any]:
    return {
        "provider": head.provider,
        "ref": f"{case}/withdrawal{suffix}",
        "subject": head.subject,
        "category": head.category,
        "occurred_at": head.occurred_at.isoformat(),
        "supersedes": head.ref,
        "withdrawn": True,
        "legal_basis": f"withdrawn on objection {case}",
    }


def _correction(
    head: LedgerRecord, given: dict[str, Any], case: str, suffix: str
) -> dict[str, Any]:
    row = dict(given)
    if row.setdefault("provider", head.provider) != head.provider:
        raise WrongParty(
            f"only {head.provider}, which reported the record, can correct it", field="provider"
        )
    if row.setdefault("supersedes", head.ref) != head.ref:
        raise NotContestable(
            f"the correction must supersede the record's current version ({head.ref!r})",
            field="supersedes",
        )
    if row.get("withdrawn"):
        raise NotContestable("a correction is not a withdrawal", field="withdrawn")
    row.setdefault("ref", f"{case}/correction{suffix}")
    row.setdefault("subject", head.subject)
    row.setdefault("category", head.category)
    row.setdefault("occurred_at", head.occurred_at.isoformat())
    if head.legal_basis:
        row.setdefault("legal_basis", head.legal_basis)
    return row


__all__ = [
    "Target",
    "carry_out",
    "entries_resting_on",
    "require_contestable",
    "resolve",
    "subject_id",
]
