"""Decisions that rested on a record later corrected or withdrawn, by relying party.

The decision log keeps, for every non-allow decision, the records behind it
(``reasons.records``). A decision is affected when one of those records was
later superseded -- corrected or withdrawn -- by a record the platform learnt
after the data the decision was made on (``known_at`` before the superseding
record's ``recorded_at``). Relying parties (the log's ``requester``) are told
which of their refusals to revisit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any, Literal

import orjson
from sqlalchemy import Connection, select
from sqlalchemy.orm import aliased

from socialcredit.store.database import Store
from socialcredit.store.tables import decision_log, records

How = Literal["corrected", "withdrawn"]


@dataclass(frozen=True)
class Replacement:
    record: str
    subject: str
    by: str  # the correction or withdrawal
    how: How
    recorded_at: dt.datetime
    case: str | None  # the objection case that led to it, if any


@dataclass(frozen=True)
class Affected:
    decision: int  # seq in the decision log
    decided_at: dt.datetime
    requester: str
    subject: str
    action: str
    outcome: str
    known_at: dt.datetime
    record: str
    replaced_by: str
    how: How
    replaced_at: dt.datetime
    case: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            k: v.isoformat() if isinstance(v, dt.datetime) else v for k, v in asdict(self).items()
        }


def replacements(conn: Connection, subject: str | None = None) -> dict[str, Replacement]:
    """Every superseded record, with the first record that superseded it."""
    old, new = aliased(records), aliased(records)
    stmt = (
        select(old.c.id, old.c.subject, new.c.id.label("by"), new.c.ref, new.c.withdrawn)
        .add_columns(new.c.recorded_at)
        .join(new, new.c.supersedes == old.c.id)
        .order_by(new.c.seq)
    )
    if subject is not None:
        stmt = stmt.where(old.c.subject == subject)
    out: dict[str, Replacement] = {}
    for r in conn.execute(stmt):
        if r.id in out:
            continue
        case = r.ref.split("/", 1)[0] if r.ref.startswith("OBJ-") and "/" in r.ref else None
        how: How = "withdrawn" if r.withdrawn else "corrected"
        out[r.id] = Replacement(r.id, r.subject, r.by, how, r.recorded_at, case)
    return out


def affected_decisions(store: Store, subject: str | None = None) -> dict[str, list[Affected]]:
    """Affected decisions grouped by relying party (requester), oldest first."""
    with store.reader() as conn:
        replaced = replacements(conn, subject)
        if not replaced:
            return {}
        rows = conn.execute(
            select(decision_log)
            .where(decision_log.c.outcome != "allow")
            .order_by(decision_log.c.seq)
        )
        found: dict[str, list[Affected]] = {}
        for row in rows:
            used = orjson.loads(row.reasons).get("records") or []
            for record in used:
                rep = replaced.get(record)
                if rep is None or row.known_at >= rep.recorded_at:
                    continue
                found.setdefault(row.requester, []).append(
                    Affected(
                        decision=int(row.seq),
                        decided_at=row.decided_at,
                        requester=row.requester,
                        subject=row.subject,
                        action=row.action,
                        outcome=row.outcome,
                        known_at=row.known_at,
                        record=record,
                        replaced_by=rep.by,
                        how=rep.how,
                        replaced_at=rep.recorded_at,
                        case=rep.case,
                    )
                )
    return dict(sorted(found.items()))


def report(store: Store, subject: str | None = None) -> dict[str, Any]:
    """The affected-decisions report as JSON: ``{"requesters": {name: [...]}, "total"}``."""
    found = affected_decisions(store, subject)
    return {
        "total": sum(len(v) for v in found.values()),
        "requesters": {k: [a.to_dict() for a in v] for k, v in found.items()},
    }


__all__ = ["Affected", "Replacement", "affected_decisions", "replacements", "report"]
