"""One error tree for the whole platform.

Every domain error carries a machine ``code``, a human ``message`` and,
where it concerns one input field, the ``field`` name. The CLI prints
``Error: <code>: <message>`` and exits non-zero; the API renders the same
three keys as JSON. Domain code never raises HTTP errors.
"""

from __future__ import annotations

from typing import Any


class SocialCreditError(Exception):
    """Base of every error socialcredit raises on purpose."""

    code = "error"
    exit_code = 1

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        if code is not None:
            self.code = code

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.field is not None:
            out["field"] = self.field
        return out

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class ConfigurationError(SocialCreditError):
    code = "configuration"


class StoreError(SocialCreditError):
    code = "store"


class NotFound(SocialCreditError):
    code = "not_found"


class PolicyError(SocialCreditError):
    """A policy pack failed to load or validate; ``problems`` lists every problem."""

    code = "invalid_policy"

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []

    def to_dict(self) -> dict[str, Any]:
        out = super().to_dict()
        out["problems"] = self.problems
        return out


class UnsafePolicy(PolicyError):
    """The safeguards audit of the packs that would be active finds violations; ``problems``
    lists each with its check, item, what is wrong and the fix."""

    code = "unsafe_policy"


REJECTION_CODES = (
    "malformed",
    "invalid_identifier",
    "unknown_provider",
    "provider_mismatch",
    "unknown_category",
    "unauthorised_category",
    "schema_violation",
    "future_date",
    "unknown_reference",
    "conflict",
)


class RecordRejected(SocialCreditError):
    """One incoming record was refused; nothing of it was stored.

    Codes: ``malformed``, ``invalid_identifier``, ``unknown_provider``,
    ``unknown_category``, ``unauthorised_category``, ``schema_violation``,
    ``future_date``, ``unknown_reference``, ``conflict``.
    """

    code = "rejected"
    exit_code = 2


class AuditBroken(SocialCreditError):
    code = "audit_broken"
