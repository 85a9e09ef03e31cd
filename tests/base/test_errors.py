"""One error tree: every error class declares its code and HTTP status, a code is shared
only with one status, the README lists every code with its status, and the CLI renders
every error the same way with the exit status its code calls for."""

from __future__ import annotations

import importlib
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

from rich.console import Console

import socialcredit
from socialcredit.cli.options import report_error
from socialcredit.errors import REJECTION_CODES, PolicyError, SocialCreditError, rejection

ROOT = Path(__file__).parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
# codes several classes carry because they are one idea (a malformed record and a
# malformed request; a missing case and a missing file)
SHARED = {
    "too_many",
    "malformed",
    "not_found",
    "forbidden",
    "invalid_identifier",
    "invalid_transition",
}


def _every_error_class() -> list[type[SocialCreditError]]:
    for module in pkgutil.walk_packages(socialcredit.__path__, "socialcredit."):
        if ".migrations" not in module.name and not module.name.endswith("__main__"):
            importlib.import_module(module.name)
    found: list[type[SocialCreditError]] = []
    todo = [SocialCreditError]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return found[1:]  # the base is never raised


def test_every_error_declares_its_code_and_a_status() -> None:
    classes = _every_error_class()
    assert len(classes) > 40
    by_code: dict[str, set[int]] = {}
    owners: dict[str, list[str]] = {}
    for cls in classes:
        assert "code" in vars(cls) or cls.code != cls.__mro__[1].code, cls
        assert re.fullmatch(r"[a-z][a-z_]+", cls.code), cls
        assert 400 <= cls.status <= 599, cls
        by_code.setdefault(cls.code, set()).add(cls.status)
        owners.setdefault(cls.code, []).append(cls.__qualname__)
    for code, statuses in by_code.items():
        assert len(statuses) == 1, (code, statuses, owners[code])
    shared = {code for code, names in owners.items() if len(names) > 1}
    assert shared == SHARED, shared


def test_the_readme_lists_every_code_with_its_status() -> None:
    start = README.index("**Every error code**")
    table = README[start : README.index("\n\n", README.index("| --- |", start))]
    documented = dict(re.findall(r"^\| `([a-z_]+)` \| (\d{3}) \|", table, flags=re.MULTILINE))
    actual = {cls.code: str(cls.status) for cls in _every_error_class()}
    assert documented == actual


def test_no_error_is_raised_with_a_code_of_its_own_making() -> None:
    """A code given at the raise would fall through to whatever status the base has."""
    for path in (ROOT / "src" / "socialcredit").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\bcode=\"", text), path


def test_a_refusal_rebuilt_from_its_code_is_of_its_class() -> None:
    for code in REJECTION_CODES:
        rebuilt = rejection(code, "why", "field")
        assert (rebuilt.code, rebuilt.message, rebuilt.field) == (code, "why", "field")
        expected = {"malformed": 422, "conflict": 409}.get(code, 400)
        assert rebuilt.status == expected


def _rendered(exc: SocialCreditError) -> tuple[str, int]:
    console = Console(record=True, width=200)
    status = report_error(exc, console)
    return console.export_text(), status


def test_the_cli_renders_an_error_with_its_problems_and_exit_status() -> None:
    text, status = _rendered(PolicyError("pack x is invalid", ["a.yaml: [lists] bad"]))
    assert text == "Error: invalid_policy: pack x is invalid\n  a.yaml: [lists] bad\n"
    assert status == 2  # an error in what was given


def test_the_command_line_exits_2_for_the_input_and_1_for_the_platform(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'never.db'}"
    cli = [sys.executable, "-m", "socialcredit.cli"]
    run = subprocess.run([*cli, "--db", db, "summary"], capture_output=True, text=True)
    assert run.returncode == 1, run.stderr  # 503: the platform's store
    assert run.stderr.startswith("Error: not_initialised: ")
    assert "\n" not in run.stderr.rstrip("\n")  # one line, however long
    run = subprocess.run([*cli, "--db", "nowhere", "summary"], capture_output=True, text=True)
    assert run.returncode == 2, run.stderr  # 400: what was given
    assert run.stderr.startswith("Error: invalid_db_url: ")
