"""Credit service agencies read a subject's report only under the subject's own grant.

A subject authorises one agency, for one stated purpose, until a day at most a
year ahead (:func:`grant`); it may withdraw the grant at any time
(:func:`withdraw`). An agency reads the full report (:func:`read_report`) only
while a grant of that subject to that agency, for that very purpose, is in
force (not withdrawn, its last day not passed); every read is logged
(``agency_reads``) and listed to the subject (:func:`reads_of`). Granting,
withdrawing and reading are audited writes.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, select, update

from socialcredit.clock import today
from socialcredit.errors import NotFound, SocialCreditError
from socialcredit.identifiers import parse
from socialcredit.services.report import subject_report
from socialcredit.store.bulk import db_date, db_datetime, insert_rows, stored_day, stored_instant
from socialcredit.store.chain import AuditWriter
from socialcredit.store.database import Store
from socialcredit.store.tables import agency_grants, agency_reads

MAX_PURPOSE = 200
MAX_AGENCY = 80
MAX_DAYS = 366  # a grant ends at most a year (and a leap day) ahead


class InvalidGrant(SocialCreditError):
    """A grant without an agency or a purpose, or with a last day not in the next year."""

    code = "invalid_grant"
    status = 422


class NotAuthorised(SocialCreditError):
    """No grant in force lets this agency read this subject's report for this purpose."""

    code = "not_authorised"
    status = 403


@dataclass(frozen=True)
class Grant:
    id: str
    subject: str
    agency: str
    purpose: str
    granted_at: dt.datetime
    expires_on: dt.date
    withdrawn_at: dt.datetime | None = None

    def in_force(self, day: dt.date) -> bool:
        return self.withdrawn_at is None and day <= self.expires_on


@dataclass(frozen=True)
class Read:
    id: str
    grant_id: str
    subject: str
    agency: str
    purpose: str
    read_at: dt.datetime


def _grant(row: Row[Any]) -> Grant:
    return Grant(
        id=row.id,
        subject=row.subject,
        agency=row.agency,
        purpose=row.purpose,
        granted_at=stored_instant(row.granted_at),
        expires_on=stored_day(row.expires_on),
        withdrawn_at=None if row.withdrawn_at is None else stored_instant(row.withdrawn_at),
    )


def _read(row: Row[Any]) -> Read:
    return Read(
        id=row.id,
        grant_id=row.grant_id,
        subject=row.subject,
        agency=row.agency,
        purpose=row.purpose,
        read_at=stored_instant(row.read_at),
    )


def _text(value: str, name: str, limit: int) -> str:
    text = " ".join(value.split())
    if not text:
        raise InvalidGrant(f"{name}: required", field=name)
    if len(text) > limit:
        raise InvalidGrant(f"{name}: at most {limit} characters", field=name)
    return text


def grant(store: Store, subject: str, agency: str, purpose: str, expires_on: dt.date) -> Grant:
    """Authorise ``agency`` to read the report of ``subject`` for ``purpose`` until the end
    of ``expires_on`` (after today, at most a year ahead)."""
    code = parse(subject).value
    agency = _text(agency, "agency", MAX_AGENCY)
    purpose = _text(purpose, "purpose", MAX_PURPOSE)
    now = store.clock.now()
    day = today(store.clock)
    if expires_on <= day:
        raise InvalidGrant(f"expires_on: {expires_on} is not after today ({day})", field="until")
    if expires_on > day + dt.timedelta(days=MAX_DAYS):
        raise InvalidGrant(
            f"expires_on: {expires_on} is more than a year ahead (at most "
            f"{day + dt.timedelta(days=MAX_DAYS)})",
            field="until",
        )
    found = Grant(f"G-{secrets.token_hex(8)}", code, agency, purpose, now, expires_on)
    with store.writer() as conn, AuditWriter(conn, now) as audit:
        insert_rows(
            conn,
            "agency_grants",
            ("id", "subject", "agency", "purpose", "granted_at", "expires_on", "withdrawn_at"),
            [
                (
                    found.id,
                    code,
                    agency,
                    purpose,
                    db_datetime(conn, now),
                    db_date(conn, expires_on),
                    None,
                )
            ],
        )
        event = {
            "id": found.id,
            "subject": code,
            "agency": agency,
            "purpose": purpose,
            "expires_on": expires_on.isoformat(),
        }
        audit.append("agency.granted", found.id, event)
    return found


def withdraw(store: Store, subject: str, grant_id: str) -> Grant:
    """Withdraw one of ``subject``'s own grants still standing (any other: ``not_found``)."""
    code = parse(subject).value
    now = store.clock.now()
    with store.writer() as conn, AuditWriter(conn, now) as audit:
        done = conn.execute(
            update(agency_grants)
            .where(
                agency_grants.c.id == grant_id,
                agency_grants.c.subject == code,
                agency_grants.c.withdrawn_at.is_(None),
            )
            .values(withdrawn_at=now)
        )
        if done.rowcount == 0:
            raise NotFound(f"no standing grant {grant_id!r}", field="grant")
        audit.append("agency.withdrawn", grant_id, {"id": grant_id, "subject": code})
        row = conn.execute(select(agency_grants).where(agency_grants.c.id == grant_id)).one()
    return _grant(row)


def grants_of(store: Store, subject: str) -> list[Grant]:
    """Every grant ``subject`` has made, the newest first."""
    with store.reader() as conn:
        rows = conn.execute(
            select(agency_grants)
            .where(agency_grants.c.subject == subject)
            .order_by(agency_grants.c.granted_at.desc(), agency_grants.c.id)
        ).all()
    return [_grant(r) for r in rows]


def grants_to(store: Store, agency: str) -> list[Grant]:
    """The grants made to ``agency`` that are in force today, the newest first."""
    day = today(store.clock)
    with store.reader() as conn:
        rows = conn.execute(
            select(agency_grants)
            .where(agency_grants.c.agency == agency, agency_grants.c.withdrawn_at.is_(None))
            .order_by(agency_grants.c.granted_at.desc(), agency_grants.c.id)
        ).all()
    return [g for g in map(_grant, rows) if g.in_force(day)]


def reads_of(store: Store, subject: str) -> list[Read]:
    """Every read of ``subject``'s report by an agency, the latest first."""
    with store.reader() as conn:
        rows = conn.execute(
            select(agency_reads)
            .where(agency_reads.c.subject == subject)
            .order_by(agency_reads.c.read_at.desc(), agency_reads.c.id)
        ).all()
    return [_read(r) for r in rows]


def reads_by(store: Store, agency: str, limit: int = 200) -> list[Read]:
    """The latest reads by ``agency``."""
    with store.reader() as conn:
        rows = conn.execute(
            select(agency_reads)
            .where(agency_reads.c.agency == agency)
            .order_by(agency_reads.c.read_at.desc(), agency_reads.c.id)
            .limit(limit)
        ).all()
    return [_read(r) for r in rows]


def read_report(store: Store, agency: str, subject: str, purpose: str) -> dict[str, Any]:
    """The report of ``subject``, for ``agency`` under a grant in force for ``purpose``;
    the read is logged. Without such a grant: ``not_authorised`` (the same answer
    whether the subject exists, never granted, withdrew, let it expire or named
    another purpose)."""
    code = parse(subject).value
    purpose = " ".join(purpose.split())
    now = store.clock.now()
    day = today(store.clock)
    with store.reader() as conn:
        rows = conn.execute(
            select(agency_grants).where(
                agency_grants.c.subject == code,
                agency_grants.c.agency == agency,
                agency_grants.c.purpose == purpose,
                agency_grants.c.withdrawn_at.is_(None),
            )
        ).all()
    standing = sorted((g for g in map(_grant, rows) if g.in_force(day)), key=lambda g: g.expires_on)
    if not agency or not purpose or not standing:
        raise NotAuthorised(
            f"agency {agency!r} holds no authorisation in force from this subject for "
            f"the purpose {purpose!r}",
            field="purpose",
        )
    held = standing[-1]
    body = subject_report(store, code)
    read_id = f"R-{secrets.token_hex(8)}"
    with store.writer() as conn, AuditWriter(conn, now) as audit:
        insert_rows(
            conn,
            "agency_reads",
            ("id", "grant_id", "subject", "agency", "purpose", "read_at"),
            [(read_id, held.id, code, agency, purpose, db_datetime(conn, now))],
        )
        event = {"id": read_id, "grant": held.id, "subject": code, "agency": agency}
        audit.append("agency.read", read_id, event)
    return body
