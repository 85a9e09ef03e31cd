"""Undoing a link by entity resolution on the subject's objection.

A record that arrived without an identifier and was linked to a person by matching
(:mod:`socialcredit.resolution`) is true about *someone*. When the person objects that
it is not theirs and the objection succeeds (the provider's answer, the reviewer's
decision or the appeal: outcome ``withdrawn``), the record is not withdrawn as a
falsehood: the link is undone. Two records are appended in the case's transaction --
the withdrawal of the copy under the person (so it counts for them no more, by the
ordinary ``supersedes`` path) and a ``remedy.record_unlinked`` naming the record as it
arrived -- and that record goes back to the unresolved pool
(:func:`socialcredit.ledger.hinted.return_to_pool`). The next resolution run matches it
again, leaving out everyone who objected: it may link it to someone else or send it to
review, never to them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import orjson
from sqlalchemy import Connection, select

from socialcredit.engine.model import LedgerRecord
from socialcredit.ledger.hinted import UNLINKED
from socialcredit.remedies.steps import PLATFORM, get_record, step
from socialcredit.store.tables import records

LINKED = "remedy.record_linked"


def matched(conn: Connection, record: LedgerRecord) -> tuple[str, str] | None:
    """If ``record`` -- or the record it corrects, down the chain -- was linked to its
    subject by matching (and the link not undone): the id of the record as it arrived
    without identifier and the id the link named; else ``None``."""
    chain = {record.id}
    current = record
    while current.supersedes is not None and len(chain) < 1000:
        current = get_record(conn, current.supersedes)
        chain.add(current.id)
    rows = conn.execute(
        select(records.c.category, records.c.attributes)
        .where(records.c.subject == record.subject)
        .where(records.c.provider == PLATFORM)
        .where(records.c.category.in_((LINKED, UNLINKED)))
        .order_by(records.c.seq)
    )
    found: tuple[str, str] | None = None
    for category, text in rows:
        attrs = orjson.loads(text)
        if (target := attrs.get("target")) not in chain:
            continue
        found = None if category == UNLINKED else (str(attrs.get("hinted") or target), target)
    return found


def unlink(
    head: LedgerRecord, target: str, hinted: str, case: str, suffix: str, day: dt.date
) -> list[dict[str, Any]]:
    """The records that undo the link of ``target`` (current version ``head``)."""
    withdrawal = {
        "provider": head.provider,
        "ref": f"{case}/unlink{suffix}",
        "subject": head.subject,
        "category": head.category,
        "occurred_at": head.occurred_at.isoformat(),
        "supersedes": head.ref,
        "withdrawn": True,
        "legal_basis": f"link by entity resolution undone on objection {case}: "
        "the record is not about this subject",
    }
    attributes = {"target": target, "hinted": hinted, "case": case}
    undone = step(head.subject, UNLINKED, f"{case}/unlinked{suffix}", day, attributes)
    return [withdrawal, undone]


__all__ = ["LINKED", "matched", "unlink"]
