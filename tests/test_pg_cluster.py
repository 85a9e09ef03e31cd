"""The throwaway PostgreSQL cluster of the test session (tests/support/pg_cluster.py):
which PostgreSQL a session uses, a real cluster from start to removal, and the refusals."""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from support.pg_cluster import (
    ENV,
    REQUIRE_ENV,
    Cluster,
    ClusterError,
    find_bindir,
    session_postgres,
)

BINDIR = find_bindir()
needs_binaries = pytest.mark.skipif(BINDIR is None, reason="PostgreSQL's binaries are missing")


def _fake_bindir(root: Path, initdb: str) -> Path:
    """A bin folder whose initdb is a shell script, readable by the postgres OS user."""
    root.chmod(0o755)
    for name, body in (("initdb", initdb), ("pg_ctl", "exit 0")):
        tool = root / name
        tool.write_text(f"#!/bin/sh\n{body}\n")
        tool.chmod(stat.S_IRWXU | stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH | stat.S_IXOTH)
    return root


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A folder outside the test's private tmp_path, so that runuser's user can enter it."""
    path = Path(tempfile.mkdtemp(prefix="socialcredit-pgtest-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


def test_the_newest_installed_version_is_chosen(tmp_path: Path) -> None:
    for version in ("9.6", "15", "13"):
        (tmp_path / version / "bin").mkdir(parents=True)
        _fake_bindir(tmp_path / version / "bin", "")
    assert find_bindir((str(tmp_path / "*" / "bin"),), path="") == tmp_path / "15" / "bin"


def test_no_binaries_skips_the_suite_and_says_how_to_run_it(tmp_path: Path) -> None:
    environ: dict[str, str] = {}
    line, cluster = session_postgres(environ, patterns=(str(tmp_path / "*"),), path=str(tmp_path))
    assert cluster is None and ENV not in environ
    assert line.startswith("skipped: no initdb/pg_ctl") and ENV in line


def test_a_named_database_wins_and_its_password_is_not_shown() -> None:
    environ = {ENV: "postgresql://u:secret@db.example:6543/socialcredit_test"}
    line, cluster = session_postgres(environ, patterns=())
    assert cluster is None
    assert "db.example:6543/socialcredit_test" in line and "secret" not in line


def test_off_turns_the_suite_off_and_ci_makes_that_an_error() -> None:
    line, cluster = session_postgres({ENV: "off"})
    assert cluster is None and line == f"skipped: {ENV}=off"
    with pytest.raises(ClusterError, match=f"{REQUIRE_ENV}=1"):
        session_postgres({ENV: "off", REQUIRE_ENV: "1"})


def test_a_cluster_that_cannot_be_made_is_reported_with_initdb_output(shared_dir: Path) -> None:
    bindir = _fake_bindir(shared_dir, 'echo "initdb: could not create directory" >&2; exit 1')
    environ: dict[str, str] = {}
    line, cluster = session_postgres(environ, patterns=(str(bindir),))
    assert cluster is None and ENV not in environ
    assert "did not start" in line and "could not create directory" in line
    with pytest.raises(ClusterError, match="could not create directory"):
        session_postgres({REQUIRE_ENV: "1"}, patterns=(str(bindir),))


@needs_binaries
def test_a_throwaway_cluster_serves_its_database_and_is_gone_after_stop() -> None:
    assert BINDIR is not None
    cluster = Cluster(BINDIR)
    try:
        url = cluster.start()
        with psycopg.connect(url) as conn:
            row = conn.execute("SELECT current_database(), current_setting('fsync')").fetchone()
        assert row == ("socialcredit_test", "off")
        with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
            psycopg.connect(url.replace(cluster.password, "wrong"))
    finally:
        cluster.stop()
    assert not cluster.root.exists()
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(url, connect_timeout=2)


def test_the_session_uses_a_postgresql_database() -> None:
    """The suite this file belongs to: under `make test` the controller has put the URL
    of its cluster (or the named one) in the environment the workers inherited."""
    if os.environ.get(ENV) == "off" or (BINDIR is None and not os.environ.get(ENV)):
        pytest.skip("no PostgreSQL on this machine")
    with psycopg.connect(os.environ[ENV]) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)


def test_no_cluster_when_no_postgres_test_can_run_even_in_ci() -> None:
    environ = {REQUIRE_ENV: "1"}
    line, cluster = session_postgres(environ, selected=False)
    assert cluster is None and ENV not in environ and line.startswith("not started")
