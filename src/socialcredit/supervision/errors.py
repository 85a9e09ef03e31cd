"""The errors of the supervision analytics, each with its own code and HTTP status."""

from __future__ import annotations

from socialcredit.errors import SocialCreditError


class SupervisionError(SocialCreditError):
    code = "supervision_error"
    status = 409


class FeedOff(SupervisionError):
    """The supervision settings in force do not let a supervision output feed a domain
    (the judges' ``feed_domain`` is off, as it is by default)."""

    code = "feed_off"
    status = 409


class HoldClosed(SupervisionError):
    """A decision on a hold a reviewer already ended (released or rejected)."""

    code = "hold_closed"
    status = 409


class NotHeld(SupervisionError):
    """A record named in a hold decision that a reviewer already released or rejected."""

    code = "not_held"
    status = 409


__all__ = ["FeedOff", "HoldClosed", "NotHeld", "SupervisionError"]
