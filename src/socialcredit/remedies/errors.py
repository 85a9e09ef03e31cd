"""The errors of the remedies services: each refusal has its own machine code.

All are :class:`socialcredit.errors.SocialCreditError`: the CLI prints
``Error: <code>: <message>`` and the API answers ``{"error": {...}}`` with the
status ``socialcredit.web.errors`` maps the code to.
"""

from __future__ import annotations

from socialcredit.errors import NotFound, SocialCreditError


class RemedyError(SocialCreditError):
    code = "remedy_error"


class InvalidTransition(RemedyError):
    """The step does not follow from the case's state (e.g. an answer before acceptance)."""

    code = "invalid_transition"


class DeadlinePassed(RemedyError):
    """The step's deadline has passed (an appeal after ``appeal_by``)."""

    code = "deadline_passed"


class AlreadyAppealed(RemedyError):
    """A decision is appealed once."""

    code = "already_appealed"


class AlreadyOpen(RemedyError):
    """An objection or repair case about the same record is still open."""

    code = "already_open"


class NotRepairable(RemedyError):
    """The record or list entry cannot be repaired early (or no longer counts)."""

    code = "not_repairable"


class TooEarly(RemedyError):
    """The minimum period before repair has not been served (``eligible_from``)."""

    code = "too_early"


class MissingRequirement(RemedyError):
    """A repair requires a pledge, a course or a fulfilment record that is missing."""

    code = "missing_requirement"


class NotContestable(RemedyError):
    """The record cannot be contested (a remedy step, already corrected or withdrawn,
    no listing rests on it…)."""

    code = "not_contestable"


class WrongParty(RemedyError):
    """The step must be taken by someone else (another provider's record)."""

    code = "forbidden"


class CaseNotFound(NotFound):
    code = "not_found"


# code -> HTTP status, for socialcredit.web.errors
STATUS = {
    "invalid_transition": 409,
    "deadline_passed": 409,
    "already_appealed": 409,
    "already_open": 409,
    "too_early": 409,
    "not_repairable": 422,
    "missing_requirement": 422,
    "not_contestable": 422,
}
