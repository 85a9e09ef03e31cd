"""The README cannot drift from the code: settings, commands and error codes are documented."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import typer.main

from socialcredit.cli import app
from socialcredit.errors import REJECTION_CODES
from socialcredit.settings import Settings

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented_with_its_environment_variable() -> None:
    for name, field in Settings.model_fields.items():
        assert field.description, f"setting {name} has no help text"
        assert f"| `{name}` | `SOCIALCREDIT_{name.upper()}` |" in README, name


def _commands(group: Any, prefix: str) -> list[str]:
    """Every command ``--help`` shows under ``group`` (the old names are hidden)."""
    if not hasattr(group, "commands"):
        return [prefix]
    out = []
    for name, cmd in group.commands.items():
        if not cmd.hidden:
            out.extend(_commands(cmd, f"{prefix} {name}"))
    return out


def _old_names(group: Any) -> list[str]:
    return [f"socialcredit {name}" for name, cmd in group.commands.items() if cmd.hidden]


def _table(title: str) -> str:
    start = README.index(title)
    return README[start : README.index("\n\n", README.index("| --- |", start))]


def test_every_cli_command_is_documented() -> None:
    commands = _commands(typer.main.get_command(app), "socialcredit")
    assert "socialcredit objections file" in commands and "socialcredit init" in commands
    documented = _table("**Everyday commands**") + _table("**Command groups**")
    for command in commands:
        assert f"| `{command}" in documented, f"{command} is not in the README's command tables"


def test_every_old_command_name_says_where_it_went_in_the_readme() -> None:
    old = _old_names(typer.main.get_command(app))
    assert "socialcredit object" in old and "socialcredit repair" in old
    renamed = _table("**Renamed commands.**")
    for command in old:
        assert f"| `{command}" in renamed, f"{command} is not in the README's renamed table"


def test_every_rejection_code_is_documented() -> None:
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", README, flags=re.MULTILINE))
    assert set(REJECTION_CODES) <= documented
