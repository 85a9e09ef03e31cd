"""``socialcredit serve`` builds the app from the settings of its own command line:
``--db`` reaches every worker, whatever the environment says, and an
uninitialised store is refused before anything listens."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from socialcredit.cli import app

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _health(port: int, process: subprocess.Popen[bytes]) -> dict[str, str]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        try:
            answer = httpx.get(f"http://127.0.0.1:{port}/v1/health", timeout=2)
        except httpx.TransportError:
            time.sleep(0.2)
            continue
        assert answer.status_code == 200, answer.text
        body: dict[str, str] = answer.json()
        return body
    raise AssertionError("the server did not answer within 60 s")


@pytest.mark.parametrize("workers", [1, 2])
def test_serve_answers_on_the_store_of_its_db_option(tmp_path: Path, workers: int) -> None:
    db = f"sqlite:///{tmp_path / 'served.db'}"
    assert CliRunner().invoke(app, ["--db", db, "init"]).exit_code == 0
    env = {**os.environ, "SOCIALCREDIT_DB": f"sqlite:///{tmp_path / 'absent' / 'other.db'}"}
    port = _free_port()
    command = [sys.executable, "-m", "socialcredit.cli", "--db", db, "serve"]
    command += ["--port", str(port), "--workers", str(workers)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert _health(port, process)["status"] == "ok"
    finally:
        process.terminate()
        process.communicate(timeout=30)


def test_serve_refuses_an_uninitialised_store(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'empty.db'}"
    result = CliRunner().invoke(app, ["--db", db, "serve", "--port", str(_free_port())])
    assert result.exit_code != 0
    assert getattr(result.exception, "code", None) == "not_initialised"
