"""``socialcredit --help``: the everyday commands first, then the groups, each group
listing its verbs; the old flat names hidden."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from socialcredit.cli import app

EVERYDAY = [
    "init", "ingest", "evaluate", "report", "check", "serve", "summary", "simulate", "backup",
    "restore", "export",
]  # fmt: skip
GROUPS = {
    "providers": ["register", "list"],
    "policy": [
        "validate",
        "activate",
        "approve",
        "reject",
        "proposals",
        "deactivate",
        "list",
        "diff",
    ],
    "keys": ["create", "list", "revoke"],
    "users": ["create", "list"],
    "objections": ["file", "accept", "answer", "decide", "list", "show", "affected"],
    "appeals": ["file", "suspend", "decide"],
    "repairs": ["apply", "decide"],
    "cases": ["list", "show"],
    "notices": ["list", "sweep"],
    "audit": ["verify"],
    "safeguards": ["audit"],
    "portal": ["permissions"],
    "search-index": ["rebuild"],
    "supervise": ["judges", "officials", "jurisdictions", "providers"],
    "justifications": ["request", "answer", "decide", "feed"],
    "holds": ["list", "release", "reject"],
    "risk": ["train", "report", "score", "dry-run", "activate", "retrain", "models"],
    "resolve": ["confirm", "reject"],
}
# single commands of the groups panel, listed before the groups
ANALYTICS = ["fairness"]
OLD = ["object", "accept", "answer", "decide-objection", "appeal", "appeal-decide", "case"]
OLD += ["affected", "notices-sweep", "repair"]


def listed(*args: str) -> list[str]:
    """The command names a help screen lists, in order."""
    result = CliRunner().invoke(app, [*args, "--help"])
    assert result.exit_code == 0, result.output
    return re.findall(r"^│ ([a-z][\w-]*) ", result.stdout, flags=re.MULTILINE)


def test_help_lists_the_everyday_commands_then_the_groups() -> None:
    assert listed() == EVERYDAY + ANALYTICS + list(GROUPS)


def test_help_names_the_panels_in_order() -> None:
    shown = CliRunner().invoke(app, ["--help"]).stdout
    assert shown.index("Everyday commands") < shown.index("init") < shown.index("Command groups")


@pytest.mark.parametrize("group", list(GROUPS))
def test_each_group_lists_its_verbs(group: str) -> None:
    assert listed(group) == GROUPS[group]


def test_the_old_flat_names_are_hidden_but_still_commands() -> None:
    shown = listed()
    for old in OLD:
        assert old not in shown
        result = CliRunner().invoke(app, [old, "--help"])
        assert result.exit_code == 0 and "Usage: " in result.stdout, old
