"""The errors of the remedies services: each refusal has its own machine code.

All are :class:`socialcredit.errors.SocialCreditError`, each declaring its code and
HTTP status: 409 for a step the case's state or calendar does not allow yet or
any more, 422 for a request that can never succeed as made. The CLI prints
``Error: <code>: <message>``; the API answers ``{"error": {...}}`` with the status.
"""

from __future__ import annotations

from socialcredit.errors import NotFound, SocialCreditError


class RemedyError(SocialCreditError):
    code = "remedy_error"
    status = 409


class InvalidTransition(RemedyError):
    """The step does not follow from the case's state (e.g. an answer before acceptance)."""

    code = "invalid_transition"
    status = 409


class DeadlinePassed(RemedyError):
    """The step's deadline has passed (an appeal after ``appeal_by``)."""

    code = "deadline_passed"
    status = 409


class AlreadyAppealed(RemedyError):
    """A decision is appealed once."""

    code = "already_appealed"
    status = 409


class AlreadyOpen(RemedyError):
    """An objection or repair case about the same record is still open."""

    code = "already_open"
    status = 409


class AlreadyRequested(RemedyError):
    """A justification of this decision was already requested (open or decided)."""

    code = "already_requested"
    status = 409


class NotJustifiable(RemedyError):
    """Only a decided case that is still in force (not corrected or withdrawn) is
    justified."""

    code = "not_justifiable"
    status = 422


class WrongCaseKind(RemedyError):
    """A step of one kind of case named a case of another kind (an objection's decision
    on a justification request): it can never succeed as made."""

    code = "wrong_case_kind"
    status = 422


class NotRepairable(RemedyError):
    """The record or list entry cannot be repaired early (or no longer counts)."""

    code = "not_repairable"
    status = 422


class TooEarly(RemedyError):
    """The minimum period before repair has not been served (``eligible_from``)."""

    code = "too_early"
    status = 409


class MissingRequirement(RemedyError):
    """A repair requires a pledge, a course or a fulfilment record that is missing."""

    code = "missing_requirement"
    status = 422


class NotContestable(RemedyError):
    """The record cannot be contested (a remedy step, already corrected or withdrawn,
    no listing rests on it…)."""

    code = "not_contestable"
    status = 422


class WrongParty(RemedyError):
    """The step must be taken by someone else (another provider's record)."""

    code = "forbidden"
    status = 403


class CaseNotFound(NotFound):
    code = "not_found"
    status = 404
