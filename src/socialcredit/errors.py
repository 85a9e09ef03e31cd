"""One error tree for the whole platform.

Every domain error carries a machine ``code``, a human ``message`` and,
where it concerns one input field, the ``field`` name. Each class declares
its ``code`` and its HTTP ``status`` -- the one place either is set: the API
answers ``{"error": {"code", "message", "field"?}}`` with that status
(``web/errors.py``), the CLI prints ``Error: <code>: <message>`` and exits 2
for an error in the input (a 4xx status), 1 for one of the platform's own
(``cli/options.py``: :func:`~socialcredit.cli.options.report_error`). A code is
shared only by classes of one idea (a ``malformed`` record and a ``malformed``
request), always with one status. Domain code never raises HTTP errors.
"""

from __future__ import annotations

from typing import Any, ClassVar


class SocialCreditError(Exception):
    """Base of every error socialcredit raises on purpose (raise a subclass)."""

    code: ClassVar[str] = "error"
    status: ClassVar[int] = 500

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    @property
    def exit_code(self) -> int:
        """The CLI's exit status: 2 for an error in what was given, 1 for the platform's."""
        return 2 if self.status < 500 else 1

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.field is not None:
            out["field"] = self.field
        return out

    def lines(self) -> list[str]:
        """The error as text: ``<code>: <message>``, then any details, one a line."""
        return [str(self)]

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class ConfigurationError(SocialCreditError):
    code = "configuration"
    status = 500


class StoreError(SocialCreditError):
    """The store cannot be opened or used."""

    code = "store"
    status = 503


class InvalidDbUrl(StoreError):
    code = "invalid_db_url"
    status = 400


class StoreFull(StoreError):
    """The disk (or the database's size limit) is full: the write was rolled back whole."""

    code = "store_full"
    status = 507


class StoreReadOnly(StoreError):
    """The store is read-only (a read-only file, mount, replica or transaction)."""

    code = "store_read_only"
    status = 503


class NotInitialised(StoreError):
    """The store has no schema yet: run ``socialcredit init``."""

    code = "not_initialised"
    status = 503


class NeedsUpgrade(StoreError):
    """The store's schema is older than the code: run ``socialcredit init``."""

    code = "needs_upgrade"
    status = 503


class NotFound(SocialCreditError):
    code = "not_found"
    status = 404


class Malformed(SocialCreditError):
    """A request or an option that does not have the shape it must have."""

    code = "malformed"
    status = 422


class InvalidOption(SocialCreditError):
    """A command's options that do not go together or name nothing."""

    code = "invalid_option"
    status = 400


class InvalidTime(SocialCreditError):
    """Not a date or ISO datetime, or outside the days the platform keeps."""

    code = "invalid_time"
    status = 400


class PolicyError(SocialCreditError):
    """A policy pack failed to load or validate; ``problems`` lists every problem."""

    code = "invalid_policy"
    status = 400

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []

    def to_dict(self) -> dict[str, Any]:
        out = super().to_dict()
        out["problems"] = self.problems
        return out

    def lines(self) -> list[str]:
        return [str(self), *(f"  {problem}" for problem in self.problems)]


class UnsafePolicy(PolicyError):
    """The safeguards audit of the packs that would be active finds violations; ``problems``
    lists each with its check, item, what is wrong and the fix."""

    code = "unsafe_policy"


class RecordRejected(SocialCreditError):
    """One incoming record was refused; nothing of it was stored. Raise the subclass
    of the reason (:data:`REJECTIONS`)."""

    code = "rejected"
    status = 400


class MalformedRecord(RecordRejected):
    """Not JSON, not an object, a missing or mistyped field, an unexpected field."""

    code = "malformed"
    status = 422


class InvalidRecordIdentifier(RecordRejected):
    code = "invalid_identifier"


class UnknownProvider(RecordRejected):
    code = "unknown_provider"


class ProviderMismatch(RecordRejected):
    code = "provider_mismatch"


class UnknownCategory(RecordRejected):
    code = "unknown_category"


class UnauthorisedCategory(RecordRejected):
    code = "unauthorised_category"


class SchemaViolation(RecordRejected):
    code = "schema_violation"


class FutureDate(RecordRejected):
    code = "future_date"


class UnknownReference(RecordRejected):
    code = "unknown_reference"


class HintNotAllowed(RecordRejected):
    """A record without a subject identifier (``subject_hint``) in a category the
    catalogue does not let arrive that way, or with both a subject and a hint."""

    code = "hint_not_allowed"


class RecordConflict(RecordRejected):
    """The (provider, ref) was already reported with different content."""

    code = "conflict"
    status = 409


REJECTIONS: dict[str, type[RecordRejected]] = {
    cls.code: cls
    for cls in (
        MalformedRecord,
        InvalidRecordIdentifier,
        UnknownProvider,
        ProviderMismatch,
        UnknownCategory,
        UnauthorisedCategory,
        SchemaViolation,
        FutureDate,
        UnknownReference,
        RecordConflict,
        HintNotAllowed,
    )
}
REJECTION_CODES = tuple(REJECTIONS)


def rejection(code: str, message: str, field: str | None = None) -> RecordRejected:
    """A refusal rebuilt from its code (as it travels back from a worker process)."""
    return REJECTIONS.get(code, RecordRejected)(message, field=field)


class AuditBroken(SocialCreditError):
    code = "audit_broken"
    status = 500
