"""Rendering a page: the template, in the request's language, with who is asking.

One Jinja2 environment per language (the gettext callables installed in each);
every page gets ``lang`` (the :class:`~.i18n.Language`), ``principal``, the
form token ``csrf`` for its forms, the navigation the principal may use, and
the filters ``date`` and ``number`` in the page's locale.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from socialcredit.access.permissions import allowed, rule_for
from socialcredit.access.principal import Principal
from socialcredit.web.gate import cookie_in, principal_of
from socialcredit.web.portal import i18n

TEMPLATES = Path(__file__).parent / "templates"
CSRF_COOKIE = "sc_csrf"  # the form token of a visitor without a login (double submit)


def N_(message: str) -> str:
    """Marks a string for the catalogues where it is translated later (``_(label)``)."""
    return message


# the navigation: (path, label); each shown to those the permission table lets in
NAV = (
    ("/", N_("Search")),
    ("/me", N_("My credit")),
    ("/review", N_("Review desk")),
    ("/agency", N_("Agency")),
    ("/dashboards", N_("Dashboards")),
    ("/policy", N_("Policy")),
    ("/audit", N_("Audit")),
    ("/admin", N_("Administration")),
)


@cache
def environment(tag: str) -> Environment:
    language = i18n.language(tag)
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # the templates ship with the code: no stat() per page
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        language.gettext, language.ngettext, newstyle=True
    )
    env.filters["date"] = language.date
    env.filters["number"] = language.number
    return env


@dataclass(frozen=True)
class Visit:
    """Who is asking and in which language, with the form token their forms carry."""

    principal: Principal
    lang: i18n.Language
    csrf: str
    new_csrf_cookie: bool  # the visitor had no form token yet: set it with the answer


def visit(request: Request) -> Visit:
    principal = principal_of(request.scope)
    lang = i18n.choose(
        cookie_in(request.scope, i18n.COOKIE), request.headers.get("accept-language")
    )
    if principal.csrf is not None:
        return Visit(principal, lang, principal.csrf, False)
    token = cookie_in(request.scope, CSRF_COOKIE)
    if token and len(token) >= 16:
        return Visit(principal, lang, token, False)
    return Visit(principal, lang, secrets.token_urlsafe(24), True)


def nav(principal: Principal) -> list[tuple[str, str]]:
    shown = []
    for path, label in NAV:
        rule = rule_for("GET", path)
        if rule is not None and (path == "/" or (not rule.public and allowed(principal, rule))):
            shown.append((path, label))
    return shown


def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """The page ``template`` for this request."""
    seen = visit(request)
    env = environment(seen.lang.tag)
    body = env.get_template(template).render(
        lang=seen.lang,
        languages=i18n.LANGUAGES,
        language_names=i18n.NAMES,
        principal=seen.principal,
        csrf=seen.csrf,
        nav=nav(seen.principal),
        path=request.url.path,
        query=request.url.query,
        **context,
    )
    response = HTMLResponse(body, status_code=status)
    response.headers["cache-control"] = "no-store"
    if seen.new_csrf_cookie:
        response.set_cookie(CSRF_COOKIE, seen.csrf, httponly=True, samesite="strict", path="/")
    return response
