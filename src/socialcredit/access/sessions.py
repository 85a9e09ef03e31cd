"""Portal sessions in signed cookies (itsdangerous): nothing kept on the server.

A session names the account, its role, the subject or agency it acts for, and
a random form token that every portal form carries back (CSRF). The signature
is keyed with the ``session_secret`` setting; a session older than
``session_hours`` is refused as if absent, so a login expires.
"""

from __future__ import annotations

import secrets
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer

from socialcredit.access.principal import Principal

COOKIE = "sc_session"


class SessionCodec:
    def __init__(self, secret: str, max_age_seconds: int) -> None:
        self._serializer = URLSafeTimedSerializer(secret, salt="socialcredit.session")
        self.max_age = max_age_seconds

    def issue(
        self, user: str, name: str, role: str, subject: str | None, agency: str | None
    ) -> str:
        """A new session's cookie value (a fresh form token each time)."""
        body = {
            "u": user,
            "n": name,
            "r": role,
            "s": subject,
            "a": agency,
            "c": secrets.token_urlsafe(24),
        }
        return self._serializer.dumps(body)

    def read(self, cookie: str | None) -> Principal | None:
        """The principal of a cookie, or None when it is absent, forged or expired."""
        if not cookie:
            return None
        try:
            body: dict[str, Any] = self._serializer.loads(cookie, max_age=self.max_age)
        except (BadSignature, ValueError, TypeError):
            return None
        try:
            return Principal(
                id=f"user:{body['u']}",
                name=str(body["n"]),
                roles=frozenset({str(body["r"])}),
                subject=body.get("s"),
                agency=body.get("a"),
                csrf=str(body["c"]),
            )
        except (KeyError, TypeError):
            return None
