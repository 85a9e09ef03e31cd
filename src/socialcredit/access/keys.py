"""API keys for relying parties, scoped to the actions they may check.

A key is shown once, as ``sc_<id>_<secret>``; the store keeps only the
SHA-256 of the secret. Scopes are action codes or patterns that name them
(``procurement.bid``, ``transport.air.*``, ``transport.*``: literal segments, a
final ``*`` at most) or role scopes (``role:reviewer``). A bare ``*`` or a
pattern that does not name its area is refused: a relying party checks only
the actions its purpose needs, and a key with role scopes alone checks none.
Each key has a request rate limit (its own, or the ``api_rate_limit``
setting), enforced by :class:`KeyRing`. Creating and revoking keys are
audited writes.
"""

from __future__ import annotations

import fnmatch
import hashlib
import hmac
import re
import secrets
import time
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import select, update

from socialcredit.access.rates import RateLimiter
from socialcredit.errors import NotFound, SocialCreditError
from socialcredit.store.bulk import db_datetime, insert_rows
from socialcredit.store.chain import AuditWriter
from socialcredit.store.database import Store
from socialcredit.store.tables import api_keys


class Unauthorised(SocialCreditError):
    code = "unauthorised"
    status = 401


class Forbidden(SocialCreditError):
    code = "forbidden"
    status = 403


class InvalidKey(SocialCreditError):
    """A key asked for with no scope, a malformed scope or a rate out of range."""

    code = "invalid_key"
    status = 400


ACTION_SCOPE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*(\.\*)?$")
ROLE_SCOPE = re.compile(r"^role:[a-z][a-z0-9_.:-]*$")
MAX_RATE = 100_000.0


def scope_problem(scope: str) -> str | None:
    """Why ``scope`` cannot be a key's scope, or None."""
    if ROLE_SCOPE.match(scope):
        return None
    if ACTION_SCOPE.match(scope):
        return None if "." in scope else f"scope {scope!r}: name an action (area.thing) or area.*"
    return (
        f"scope {scope!r}: a scope names actions (procurement.bid, transport.air.*) or a "
        "role (role:reviewer); a bare * or a pattern without its area is refused"
    )


@dataclass(frozen=True)
class ApiKey:
    id: str
    name: str
    scopes: tuple[str, ...]
    rate: float | None = None  # requests a second (None: the api_rate_limit setting)

    @property
    def action_scopes(self) -> tuple[str, ...]:
        """The scopes that name actions (a stored scope that names none is ignored)."""
        return tuple(s for s in self.scopes if ":" not in s and scope_problem(s) is None)

    def may_check(self, action: str) -> bool:
        return any(fnmatch.fnmatchcase(action, s) for s in self.action_scopes)

    def has_role(self, role: str) -> bool:
        return f"role:{role}" in self.scopes

    def require_action(self, action: str) -> None:
        if not self.action_scopes:
            raise Forbidden(
                f"key {self.id} ({self.name}) names no actions: checks need a key whose "
                "scopes name the actions checked",
                field="action",
            )
        if not self.may_check(action):
            raise Forbidden(
                f"key {self.id} ({self.name}) is not scoped for {action!r}", field="action"
            )


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_key(
    store: Store, name: str, scopes: list[str], rate: float | None = None
) -> tuple[ApiKey, str]:
    """Create a key (``rate``: its requests a second, default the setting's); return it and
    the token to hand over (shown only now)."""
    if not scopes:
        raise InvalidKey("a key needs at least one scope", field="scopes")
    for scope in scopes:
        if (problem := scope_problem(scope)) is not None:
            raise InvalidKey(problem, field="scopes")
    if rate is not None and not 0 < rate <= MAX_RATE:
        raise InvalidKey(
            f"rate: {rate:g} requests a second is not within (0, {MAX_RATE:g}]",
            field="rate",
        )
    key_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(24)
    now = store.clock.now()
    with store.writer() as conn, AuditWriter(conn, now) as audit:
        insert_rows(
            conn,
            "api_keys",
            ("id", "name", "secret_hash", "scopes", "created_at", "revoked_at", "rate_per_second"),
            [
                (
                    key_id,
                    name,
                    _hash(secret),
                    orjson.dumps(scopes).decode(),
                    db_datetime(conn, now),
                    None,
                    rate,
                )
            ],
        )
        event = {"id": key_id, "name": name, "scopes": scopes, "rate_per_second": rate}
        audit.append("key.created", key_id, event)
    return ApiKey(key_id, name, tuple(scopes), rate), f"sc_{key_id}_{secret}"


def revoke_key(store: Store, key_id: str) -> None:
    now = store.clock.now()
    with store.writer() as conn, AuditWriter(conn, now) as audit:
        done = conn.execute(
            update(api_keys)
            .where(api_keys.c.id == key_id, api_keys.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        if done.rowcount == 0:
            raise NotFound(f"no active key {key_id!r}")
        audit.append("key.revoked", key_id, {"id": key_id})


def list_keys(store: Store) -> list[dict[str, Any]]:
    with store.reader() as conn:
        rows = conn.execute(select(api_keys).order_by(api_keys.c.created_at)).all()
    return [
        {
            "id": r.id,
            "name": r.name,
            "scopes": orjson.loads(r.scopes),
            "created_at": r.created_at.isoformat(),
            "revoked_at": r.revoked_at.isoformat() if r.revoked_at else None,
            "rate_per_second": r.rate_per_second,
        }
        for r in rows
    ]


class KeyRing:
    """Authenticates tokens against the store, caching verified keys briefly, and holds
    each key to its request rate (``rate_limited`` beyond it)."""

    def __init__(
        self,
        store: Store,
        ttl_seconds: float = 5.0,
        default_rate: float = 50.0,
        limiter: RateLimiter | None = None,
    ) -> None:
        self.store = store
        self.ttl = ttl_seconds  # a revoked key stops working within this time
        self.default_rate = default_rate
        self.limiter = limiter or RateLimiter()
        self._cache: dict[str, tuple[ApiKey, float]] = {}

    def authenticate(self, token: str | None) -> ApiKey:
        """The key a token stands for, one request spent from its rate."""
        key = self._verify(token)
        self.limiter.take(key.id, key.rate or self.default_rate)
        return key

    def _verify(self, token: str | None) -> ApiKey:
        if not token:
            raise Unauthorised("an API key is required (header `Authorization: Bearer sc_…`)")
        cached = self._cache.get(token)
        if cached is not None and cached[1] > time.monotonic():
            return cached[0]
        parts = token.split("_", 2)
        if len(parts) != 3 or parts[0] != "sc":
            raise Unauthorised("malformed API key")
        with self.store.reader() as conn:
            row = conn.execute(select(api_keys).where(api_keys.c.id == parts[1])).first()
        if (
            row is None
            or row.revoked_at is not None
            or not hmac.compare_digest(row.secret_hash, _hash(parts[2]))
        ):
            raise Unauthorised("unknown or revoked API key")
        key = ApiKey(row.id, row.name, tuple(orjson.loads(row.scopes)), row.rate_per_second)
        self._cache[token] = (key, time.monotonic() + self.ttl)
        return key

    def forget(self) -> None:
        self._cache.clear()
