"""What every portal test reads off a page: the form token its forms carry."""

from __future__ import annotations

import re

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def csrf_of(html: str) -> str:
    """The form token a page's forms carry."""
    found = CSRF.search(html)
    assert found is not None, "the page has no form token"
    return found.group(1)
