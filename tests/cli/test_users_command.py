"""``socialcredit users create|list``: accounts whose passwords are never shown or stored."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from socialcredit.access.users import authenticate
from socialcredit.cli import app
from socialcredit.errors import SocialCreditError
from socialcredit.store.database import Store
from socialcredit.store.tables import audit_log, users

from support.factories import PERSON

SECRET = "a long enough secret"


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert CliRunner().invoke(app, ["--db", url, "init"]).exit_code == 0
    return url


def run(db: str, *args: str, **kw: Any) -> Any:
    return CliRunner().invoke(app, ["--db", db, *args], catch_exceptions=False, **kw)


def stored_text(db: str) -> str:
    store = Store(db)
    try:
        with store.reader() as conn:
            rows = [*conn.execute(select(users)).all(), *conn.execute(select(audit_log)).all()]
    finally:
        store.close()
    return repr(rows)


def test_a_password_from_a_file_logs_in_and_is_shown_nowhere(db: str, tmp_path: Path) -> None:
    secret = tmp_path / "pw"
    secret.write_text(SECRET + "\n")
    result = run(
        db, "users", "create", "wang", "--name", "王审核", "--role", "reviewer",
        "--password-file", str(secret),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "wang" in result.stdout and SECRET not in result.output
    assert SECRET not in stored_text(db)
    store = Store(db)
    try:
        assert authenticate(store, "wang", SECRET).role == "reviewer"
    finally:
        store.close()


def test_the_password_is_asked_twice_without_echo(db: str) -> None:
    result = run(
        db, "users", "create", "li", "--name", "李", "--role", "subject", "--subject", PERSON,
        input=f"{SECRET}\n{SECRET}\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert SECRET not in result.output
    listed = json.loads(run(db, "users", "list", "--json").stdout)
    assert listed == [
        {"id": "li", "name": "李", "role": "subject", "subject": PERSON, "agency": None}
    ]


def test_two_different_answers_create_nothing(db: str) -> None:
    result = run(
        db, "users", "create", "li", "--name", "李", "--role", "auditor",
        input=f"{SECRET}\nsomething else\n",
    )  # fmt: skip
    assert result.exit_code != 0
    assert SECRET not in result.output
    assert json.loads(run(db, "users", "list", "--json").stdout) == []


def test_the_environment_gives_the_password(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOCIALCREDIT_PASSWORD", SECRET)
    result = run(db, "users", "create", "zhao", "--name", "赵", "--role", "agency",
                 "--agency", "credit.example")  # fmt: skip
    assert result.exit_code == 0, result.output
    table = run(db, "users", "list").stdout
    assert "zhao" in table and "credit.example" in table and SECRET not in table


def test_refusals_are_coded(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOCIALCREDIT_PASSWORD", "short")
    with pytest.raises(SocialCreditError) as err:
        run(db, "users", "create", "wu", "--name", "吴", "--role", "admin")
    assert err.value.code == "invalid_account" and err.value.field == "password"
    monkeypatch.setenv("SOCIALCREDIT_PASSWORD", SECRET)
    with pytest.raises(SocialCreditError) as err:
        run(db, "users", "create", "wu", "--name", "吴", "--role", "subject")
    assert err.value.code == "invalid_account" and err.value.field == "subject"
    with pytest.raises(SocialCreditError) as err:
        run(db, "users", "create", "wu", "--name", "吴", "--role", "provider")
    assert err.value.code == "invalid_account" and err.value.field == "role"
