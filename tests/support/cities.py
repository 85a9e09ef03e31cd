"""Simulated cities shared by the test modules of a run: each city (its arguments to
``simulate``) is made once per run, on disk, and every module, parameter and
pytest-xdist worker that asks for the same city reads that one folder. A file lock makes
the other workers wait while the first one simulates. The folder is read-only by
agreement: put stores and outputs elsewhere."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from socialcredit.simulate import simulate


def _shared_root(factory: pytest.TempPathFactory) -> Path:
    base = factory.getbasetemp()
    # pytest-xdist's workers each have a basetemp under the run's own: share that one
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def simulated_city(factory: pytest.TempPathFactory, **kwargs: Any) -> Path:
    """The folder of the city ``simulate(folder, **kwargs)`` makes, made at most once a run."""
    key = hashlib.sha256(json.dumps(kwargs, sort_keys=True, default=str).encode()).hexdigest()
    root = _shared_root(factory) / "cities"
    root.mkdir(exist_ok=True)
    folder = root / key[:16]
    with (root / f"{key[:16]}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / ".done").exists():
            shutil.rmtree(folder, ignore_errors=True)  # what a failed attempt left
            simulate(folder, **kwargs)
            (folder / ".done").touch()
    return folder
