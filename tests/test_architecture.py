"""The layers of docs/architecture.md hold, and an import against them fails the lint.

``make lint`` runs import-linter with the contracts in pyproject.toml. Here it runs
on the source as it is (every contract kept) and on a copy with one upward import
added (the store importing a service): the layers contract is reported broken and
the command exits non-zero, so the build fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
LINT = Path(sys.executable).parent / "lint-imports"

pytestmark = pytest.mark.skipif(not LINT.exists(), reason="import-linter is not installed")


def _lint(src: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    return subprocess.run(
        [str(LINT), "--config", str(ROOT / "pyproject.toml"), "--no-cache", "--no-logo"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_every_contract_is_kept(tmp_path: Path) -> None:
    done = _lint(ROOT / "src", tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_an_upward_import_breaks_the_layers(tmp_path: Path) -> None:
    copy = tmp_path / "src"
    shutil.copytree(
        ROOT / "src" / "socialcredit",
        copy / "socialcredit",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    database = copy / "socialcredit" / "store" / "database.py"
    database.write_text(
        database.read_text("utf-8") + "\nfrom socialcredit.services.ingest import ingestor\n",
        "utf-8",
    )
    done = _lint(copy, tmp_path)
    assert done.returncode != 0
    assert "Layers: each package imports only the packages below it BROKEN" in done.stdout
    assert "socialcredit.store.database -> socialcredit.services.ingest" in done.stdout
