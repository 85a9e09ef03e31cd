"""Portal accounts: one role each, passwords hashed with argon2.

A subject's account acts for one subject (a person, or an enterprise whose legal
representative logs in); an agency's account for one credit service agency. A
reviewer's account may name the reviewer's own person: the desk then refuses
them every step on a case about that person or filed by them (recusal).
Creating an account is an audited write; the password itself is never stored
or logged, only its argon2 hash.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select

from socialcredit.access.principal import (
    ACCOUNT_ROLES,
    AGENCY,
    APPEAL_REVIEWER,
    REVIEWER,
    SUBJECT,
)
from socialcredit.errors import SocialCreditError
from socialcredit.identifiers import parse
from socialcredit.store.bulk import db_datetime, insert_rows
from socialcredit.store.chain import AuditWriter
from socialcredit.store.database import Store
from socialcredit.store.tables import users

_HASHER = PasswordHasher()
RECUSING = (REVIEWER, APPEAL_REVIEWER)  # roles whose account may name their own person
USER_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{1,79}$")
MIN_PASSWORD = 8


class InvalidAccount(SocialCreditError):
    """An account asked for with a bad id, role, password or missing subject/agency."""

    code = "invalid_account"
    status = 400


class LoginFailed(SocialCreditError):
    """Unknown account, wrong password or disabled account: one answer for all three."""

    code = "login_failed"
    status = 401


@dataclass(frozen=True)
class Account:
    id: str
    name: str
    role: str
    subject: str | None
    agency: str | None


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def create_user(
    store: Store,
    user_id: str,
    name: str,
    role: str,
    password: str,
    *,
    subject: str | None = None,
    agency: str | None = None,
) -> Account:
    """Create an account; the subject's account names its subject, the agency's its agency."""
    if not USER_ID.match(user_id):
        raise InvalidAccount(
            f"account id {user_id!r}: 2-80 characters, lower-case letters, digits, . _ -",
            field="id",
        )
    if role not in ACCOUNT_ROLES:
        raise InvalidAccount(f"role {role!r}: one of {', '.join(ACCOUNT_ROLES)}", field="role")
    if len(password) < MIN_PASSWORD:
        raise InvalidAccount(f"a password has at least {MIN_PASSWORD} characters", field="password")
    if role == SUBJECT and subject is None:
        raise InvalidAccount("a subject's account names its subject", field="subject")
    if subject is not None and role not in (SUBJECT, *RECUSING):
        raise InvalidAccount(
            "only a subject's account, or a reviewer's naming their own person, names a subject",
            field="subject",
        )
    if (role == AGENCY) != (agency is not None):
        raise InvalidAccount("an agency's account, and only it, names its agency", field="agency")
    code = parse(subject).value if subject is not None else None
    now = store.clock.now()
    with store.writer() as conn, AuditWriter(conn, now) as audit:
        if conn.execute(select(users.c.id).where(users.c.id == user_id)).first():
            raise InvalidAccount(f"account {user_id!r} exists", field="id")
        insert_rows(
            conn,
            "users",
            ("id", "name", "role", "password_hash", "subject", "agency", "created_at"),
            [(user_id, name, role, hash_password(password), code, agency, db_datetime(conn, now))],
        )
        event = {"id": user_id, "name": name, "role": role, "subject": code, "agency": agency}
        audit.append("user.created", user_id, event)
    return Account(user_id, name, role, code, agency)


def authenticate(store: Store, user_id: str, password: str) -> Account:
    """The account of a correct id and password, or ``login_failed``."""
    with store.reader() as conn:
        row = conn.execute(select(users).where(users.c.id == user_id)).first()
    stored = row.password_hash if row is not None else _DUMMY
    try:
        _HASHER.verify(stored, password)
        ok = row is not None and row.disabled_at is None
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok or row is None:
        raise LoginFailed("unknown account or wrong password", field="password")
    return Account(row.id, row.name, row.role, row.subject, row.agency)


def list_users(store: Store) -> list[Account]:
    with store.reader() as conn:
        rows = conn.execute(select(users).order_by(users.c.id)).all()
    return [Account(r.id, r.name, r.role, r.subject, r.agency) for r in rows]


# verified against when the account does not exist, so that both cost the same time
_DUMMY = _HASHER.hash("not a password of anyone")
