"""Portal forms: every POST carries the form token of the visit (CSRF), checked first.

A logged-in user's token is in their signed session; a visitor's (the login
form) in a cookie of its own, which the form repeats (double submit). A form
without the right token is refused with ``csrf_failed`` (403) and nothing is
done.
"""

from __future__ import annotations

import hmac

from fastapi import Request
from starlette.datastructures import FormData

from socialcredit.errors import SocialCreditError
from socialcredit.web.portal.render import visit


class CsrfFailed(SocialCreditError):
    code = "csrf_failed"
    status = 403


class InvalidForm(SocialCreditError):
    """A form field missing, too long or of the wrong form."""

    code = "invalid_form"
    status = 422


MAX_FIELD = 10_000  # characters of one form field


async def checked_form(request: Request) -> FormData:
    """The request's form, once its token matches the visit's."""
    form = await request.form(max_files=0, max_fields=50)
    sent = form.get("csrf")
    expected = visit(request).csrf
    if not isinstance(sent, str) or not hmac.compare_digest(sent, expected):
        raise CsrfFailed("the form has expired or did not come from this site: reload it")
    return form


def field(form: FormData, name: str, *, required: bool = True, max_length: int = 2000) -> str:
    """A text field of a form, stripped; ``invalid_form`` when missing or too long."""
    value = form.get(name)
    text = value.strip() if isinstance(value, str) else ""
    if required and not text:
        raise InvalidForm(f"{name}: required", field=name)
    if len(text) > min(max_length, MAX_FIELD):
        raise InvalidForm(f"{name}: at most {max_length} characters", field=name)
    return text
