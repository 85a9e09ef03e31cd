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


__all__ = ["FeedOff", "SupervisionError"]
