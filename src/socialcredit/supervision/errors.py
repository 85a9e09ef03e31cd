"""The refusals of the supervision of providers: each has its own machine code.

All are :class:`socialcredit.errors.SocialCreditError` with the HTTP status their class
declares: 409 for a decision the hold's state no longer allows.
"""

from __future__ import annotations

from socialcredit.errors import SocialCreditError


class HoldClosed(SocialCreditError):
    """The hold has already been released or rejected."""

    code = "hold_closed"
    status = 409


class NotHeld(SocialCreditError):
    """A record named in a decision is no longer held: a reviewer already decided it."""

    code = "not_held"
    status = 409


__all__ = ["HoldClosed", "NotHeld"]
