"""Two officers to activate a pack: one proposes, a second approves.

A policy officer (an API key with scope ``role:policy-officer``) proposes pack
versions; the candidate is linted with the packs active now and refused
whole on any problem. The proposal waits until a *different* officer -- a key
of another name -- approves it, when it is linted again (the active packs may
have changed meanwhile) and activated in the same transaction; or rejects it
with reasons. Proposal, approval, rejection and activation are audited writes
that name both officers.

``vet`` (both for the proposal and the approval) is a further check of the
candidate run after the lint in the same transaction -- the safeguards audit
of the packs that would be active (:func:`socialcredit.services.activation`
passes :func:`socialcredit.safeguards.candidate.refuse_unsafe`); it raises to
refuse.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import Connection, select, update

from socialcredit.access.keys import ApiKey, Forbidden
from socialcredit.errors import InvalidOption, NotFound, SocialCreditError
from socialcredit.ledger.policy_store import activate_in, check_lawful, load_version, store_version
from socialcredit.policy.pack import Pack
from socialcredit.store.bulk import db_datetime, insert_rows
from socialcredit.store.chain import AuditWriter
from socialcredit.store.database import Store
from socialcredit.store.tables import policy_proposals

OFFICER_ROLE = "policy-officer"
Vet = Callable[[Connection, Sequence[Pack], dt.datetime], None]


class ProposalDecided(SocialCreditError):
    """A proposal approved or rejected already is decided again."""

    code = "invalid_transition"
    status = 409


@dataclass(frozen=True)
class Proposal:
    id: str
    packs: tuple[dict[str, str], ...]
    note: str | None
    proposed_by: str
    proposed_at: dt.datetime
    state: str
    decided_by: str | None = None
    decided_at: dt.datetime | None = None
    reasons: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "packs": list(self.packs),
            "note": self.note,
            "proposed_by": self.proposed_by,
            "proposed_at": self.proposed_at.isoformat(),
            "state": self.state,
            "decided_by": self.decided_by,
            "decided_at": self.decided_at.isoformat() if self.decided_at else None,
            "reasons": self.reasons,
        }


def _officer(key: ApiKey, act: str) -> None:
    if not key.has_role(OFFICER_ROLE):
        raise Forbidden(
            f"key {key.id} ({key.name}) is not a policy officer's: only a key with scope "
            f"role:{OFFICER_ROLE} may {act}",
            field="key",
        )


def propose(
    store: Store,
    packs: Sequence[Pack],
    officer: ApiKey,
    note: str | None = None,
    vet: Vet | None = None,
) -> str:
    """Put pack versions forward for activation; returns the proposal id."""
    _officer(officer, "propose a pack")
    if not packs:
        raise InvalidOption("name at least one pack", field="packs")
    now = store.clock.now()
    proposal = f"PP-{now:%Y%m%d}-{secrets.token_hex(4)}"
    with store.writer() as conn:
        check_lawful(conn, packs)
        if vet is not None:
            vet(conn, packs, now)
        described = [
            {"name": p.name, "version": p.version, "digest": store_version(conn, p, now)}
            for p in packs
        ]
        insert_rows(
            conn,
            "policy_proposals",
            ("id", "packs", "note", "proposed_by", "proposed_key", "proposed_at", "state"),
            [
                (
                    proposal,
                    orjson.dumps(described).decode(),
                    note,
                    officer.name,
                    officer.id,
                    db_datetime(conn, now),
                    "pending",
                )
            ],
        )
        with AuditWriter(conn, now) as audit:
            audit.append(
                "policy.proposed",
                proposal,
                {"proposal": proposal, "packs": described, "by": officer.name, "note": note},
            )
    return proposal


def approve(
    store: Store,
    proposal: str,
    officer: ApiKey,
    note: str | None = None,
    vet: Vet | None = None,
) -> list[str]:
    """The second officer's approval: the proposal's packs are activated now."""
    _officer(officer, "approve a pack")
    now = store.clock.now()
    with store.writer() as conn:
        found = _pending(conn, proposal)
        if officer.name == found.proposed_by:
            raise Forbidden(
                f"{officer.name} proposed {proposal}: a second officer must approve it",
                field="key",
            )
        packs = [load_version(conn, p["digest"]) for p in found.packs]
        check_lawful(conn, packs)
        if vet is not None:
            vet(conn, packs, now)
        _decide(conn, proposal, "approved", officer, now, note)
        approval = {
            "proposal": proposal,
            "proposed_by": found.proposed_by,
            "approved_by": officer.name,
        }
        with AuditWriter(conn, now) as audit:
            audit.append("policy.approved", proposal, {**approval, "note": note})
        return activate_in(conn, now, packs, found.note, approval)


def reject(store: Store, proposal: str, officer: ApiKey, reasons: str) -> None:
    _officer(officer, "reject a proposal")
    if not reasons.strip():
        raise InvalidOption("give the reasons for rejecting", field="reasons")
    now = store.clock.now()
    with store.writer() as conn:
        _pending(conn, proposal)
        _decide(conn, proposal, "rejected", officer, now, reasons)
        with AuditWriter(conn, now) as audit:
            audit.append(
                "policy.rejected",
                proposal,
                {"proposal": proposal, "by": officer.name, "reasons": reasons},
            )


def proposals(conn: Connection, state: str | None = None) -> list[Proposal]:
    stmt = select(policy_proposals).order_by(policy_proposals.c.proposed_at, policy_proposals.c.id)
    if state is not None:
        stmt = stmt.where(policy_proposals.c.state == state)
    return [_proposal(row) for row in conn.execute(stmt)]


def is_approved_digest(conn: Connection, digest: str) -> bool:
    """Whether an approved proposal carried this pack version."""
    rows = conn.execute(
        select(policy_proposals.c.packs).where(policy_proposals.c.state == "approved")
    )
    return any(digest in {p["digest"] for p in orjson.loads(r.packs)} for r in rows)


def _pending(conn: Connection, proposal: str) -> Proposal:
    row = conn.execute(select(policy_proposals).where(policy_proposals.c.id == proposal)).first()
    if row is None:
        raise NotFound(f"no proposal {proposal!r}", field="proposal")
    found = _proposal(row)
    if found.state != "pending":
        raise ProposalDecided(f"proposal {proposal} was already {found.state}")
    return found


def _decide(
    conn: Connection,
    proposal: str,
    state: str,
    officer: ApiKey,
    now: dt.datetime,
    reasons: str | None,
) -> None:
    conn.execute(
        update(policy_proposals)
        .where(policy_proposals.c.id == proposal)
        .values(
            state=state,
            decided_by=officer.name,
            decided_key=officer.id,
            decided_at=now,
            reasons=reasons,
        )
    )


def _proposal(row: Any) -> Proposal:
    return Proposal(
        id=row.id,
        packs=tuple(orjson.loads(row.packs)),
        note=row.note,
        proposed_by=row.proposed_by,
        proposed_at=row.proposed_at,
        state=row.state,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
        reasons=row.reasons,
    )
