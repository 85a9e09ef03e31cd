"""The permission table and the app agree: every route has exactly one row, every row
a route, and the gate lets in exactly the roles a row names -- walked for every row ×
every role, by API key and by portal login."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import _IncludedRouter
from fastapi.testclient import TestClient
from starlette.routing import BaseRoute, Mount, Route
from typer.testing import CliRunner

from socialcredit.access.permissions import TABLE, Rule, as_markdown, rule_for
from socialcredit.access.principal import ACCOUNT_ROLES, PUBLIC, ROLES
from socialcredit.access.sessions import COOKIE
from socialcredit.cli import app as cli
from socialcredit.cli.portal import END, START
from socialcredit.errors import InvalidOption
from socialcredit.settings import Settings
from socialcredit.store.database import Store
from socialcredit.web.app import create_app

from support.portal_browser import KEY_SCOPES, World, client_login, seed_accounts

DOCS = Path(__file__).parents[2] / "docs" / "portal.md"
Endpoint = tuple[str, str]  # (verb, path template)


def _walk(routes: Iterable[BaseRoute], context: Any = None) -> Iterator[Endpoint]:
    for route in routes:
        if isinstance(route, _IncludedRouter):  # FastAPI includes routers lazily
            inner = route.include_context
            combined = inner if context is None else context.combine(inner)
            yield from _walk(route.original_router.routes, combined)
        elif isinstance(route, Mount):
            yield "GET", route.path + "/{path:path}"
        elif isinstance(route, Route):
            path = context.path_for(route) if context is not None else route.path
            for verb in sorted((route.methods or set()) - {"HEAD"}):
                yield verb, path


def endpoints(app: FastAPI) -> list[Endpoint]:
    """Every (verb, path template) the app answers, mounts as ``<mount>/{path:path}``."""
    return sorted(set(_walk(app.router.routes)))


def fill(template: str) -> str:
    """A concrete path for a template: every parameter a dummy."""
    return re.sub(r"\{[^}]+\}", lambda m: "portal.css" if ":path" in m.group() else "x1", template)


def row_of(verb: str, path: str) -> Rule | None:
    """The row of an endpoint: the row of its own template, or for a mount the row of
    the files under it."""
    if path.endswith("/{path:path}"):
        return rule_for(verb, fill(path))
    rows = [r for r in TABLE if (r.verb, r.path) == (verb, path)]
    return rows[0] if len(rows) == 1 else None


@pytest.fixture
def app(sqlite_store: Store) -> FastAPI:
    settings = Settings(db=sqlite_store.url, public_rate_limit=10_000, api_rate_limit=10_000)
    return create_app(settings, clock=sqlite_store.clock)


def test_every_route_of_the_app_has_exactly_one_row(app: FastAPI) -> None:
    found = endpoints(app)
    assert ("GET", "/policy") in found and ("POST", "/v1/objections") in found
    assert ("GET", "/static/{path:path}") in found
    for verb, path in found:
        rows = [r for r in TABLE if (r.verb, r.path) == (verb, path)]
        assert len(rows) <= 1, f"{verb} {path} has {len(rows)} rows"
        assert row_of(verb, path) is not None, f"{verb} {path} has no row in the table"
        if not path.endswith("/{path:path}"):
            assert rule_for(verb, fill(path)) == rows[0], f"{verb} {path}: another row wins"


def test_no_two_rows_name_the_same_route() -> None:
    seen = [(r.verb, r.path) for r in TABLE]
    assert len(seen) == len(set(seen))


def test_every_row_has_a_route(app: FastAPI) -> None:
    found = set(endpoints(app))
    missing = [f"{r.verb} {r.path}" for r in TABLE if (r.verb, r.path) not in found]
    assert not missing, f"rows without a route: {missing}"


# --- every row × every role -------------------------------------------------------------


@dataclass(frozen=True)
class Caller:
    role: str
    how: str  # "nothing", "key" or "login"
    headers: dict[str, str]

    @property
    def label(self) -> str:
        return f"{self.role} by {self.how}"


def callers(client: TestClient, world: World) -> list[Caller]:
    """The public, a key for every role a key holds, a login for every account role."""
    out = [Caller(PUBLIC, "nothing", {})]
    for role, token in world.keys.items():
        out.append(Caller(role, "key", {"authorization": f"Bearer {token}"}))
    for role in ACCOUNT_ROLES:
        client_login(client, role)
        session = client.cookies.get(COOKIE)
        assert session, f"no session for {role}"
        client.cookies.clear()
        out.append(Caller(role, "login", {"cookie": f"{COOKIE}={session}"}))
    return out


GATE_401 = "this route needs an API key"  # what the gate tells a caller with nothing
GATE_403 = "may not"  # what it tells one whose roles do not reach: "<who> may not GET /x"


def refused_by_gate(response: Any, caller: Caller) -> bool:
    """Whether the gate refused (a route may answer 401 or 403 of its own, for its own
    reasons): to a caller with nothing, its 401 or a page's redirect to the login form;
    to one with a key or a login, its 403 naming what the row takes."""
    if caller.how == "nothing":
        location = response.headers.get("location", "")
        if response.status_code == 303 and location.startswith("/login?next="):
            return True
        return response.status_code == 401 and GATE_401 in response.text
    return response.status_code == 403 and GATE_403 in response.text


def test_the_gate_lets_in_exactly_the_roles_of_each_row(app: FastAPI, sqlite_store: Store) -> None:
    world = seed_accounts(sqlite_store)
    assert set(KEY_SCOPES) | set(ACCOUNT_ROLES) | {PUBLIC} == set(ROLES)
    wrong: list[str] = []
    with TestClient(app, follow_redirects=False) as client:
        everyone = callers(client, world)
        for rule in TABLE:
            path = fill(rule.path)
            for caller in everyone:
                client.cookies.clear()
                r = client.request(rule.verb, path, headers=caller.headers)
                refused = refused_by_gate(r, caller)
                counts = caller.how != "login" or rule.logins  # else an API key is needed
                if rule.public or (caller.role in rule.roles and counts):
                    if refused:
                        wrong.append(f"{caller.label} refused {rule.verb} {rule.path}")
                elif not refused:
                    wrong.append(f"{caller.label} let in {rule.verb} {rule.path}: {r.status_code}")
                elif caller.how == "nothing":
                    assert r.status_code in (401, 303), r.text
                else:
                    assert r.status_code == 403, r.text
    assert not wrong, "\n".join(wrong)


# --- the table in the docs -----------------------------------------------------------


def test_docs_portal_md_shows_the_table_of_the_code() -> None:
    text = DOCS.read_text(encoding="utf-8")
    block = text.split(START, 1)[1].split(END, 1)[0].strip()
    assert block == as_markdown(), "run `socialcredit portal permissions --write docs/portal.md`"


def test_the_cli_prints_the_table_and_rewrites_the_docs_block(tmp_path: Path) -> None:
    runner = CliRunner()
    printed = runner.invoke(cli, ["portal", "permissions"])
    assert printed.exit_code == 0, printed.output
    assert printed.output.strip() == as_markdown()
    doc = tmp_path / "portal.md"
    doc.write_text(f"# Title\n\n{START}\nstale\n{END}\n\nafter\n", encoding="utf-8")
    wrote = runner.invoke(cli, ["portal", "permissions", "--write", str(doc)])
    assert wrote.exit_code == 0, wrote.output
    assert (
        doc.read_text(encoding="utf-8") == f"# Title\n\n{START}\n{as_markdown()}\n{END}\n\nafter\n"
    )


def test_the_cli_refuses_a_file_without_the_block(tmp_path: Path) -> None:
    doc = tmp_path / "portal.md"
    doc.write_text("# nothing to replace\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["portal", "permissions", "--write", str(doc)])
    assert isinstance(result.exception, InvalidOption)
    assert result.exception.exit_code == 2 and "no block between" in result.exception.message
    assert doc.read_text(encoding="utf-8") == "# nothing to replace\n"
