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
    if hasattr(group, "commands"):
        out = []
        for name, cmd in group.commands.items():
            out.extend(_commands(cmd, f"{prefix} {name}"))
        return out
    return [prefix]


def test_every_cli_command_is_documented() -> None:
    commands = _commands(typer.main.get_command(app), "socialcredit")
    assert len(commands) >= 7
    for command in commands:
        assert f"`{command}" in README, f"{command} is not in the README's command table"


def test_every_rejection_code_is_documented() -> None:
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", README, flags=re.MULTILINE))
    assert set(REJECTION_CODES) <= documented
