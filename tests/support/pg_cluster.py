"""A throwaway PostgreSQL cluster for the test session: ``initdb`` and ``pg_ctl`` from the
machine's PostgreSQL binaries in a temporary folder, listening on 127.0.0.1 on a free port
with a random password, stopped and removed at the end.

Durability is off (``fsync``, ``full_page_writes``, ``synchronous_commit``): nothing in the
cluster outlives the session, and a crash of the server itself is not what the tests try.
``initdb`` refuses to run as root, so under root the cluster belongs to the ``postgres``
OS user (run through ``runuser``).
"""

from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

SEARCH = ("/usr/lib/postgresql/*/bin", "/usr/local/pgsql/bin", "/opt/homebrew/opt/postgresql*/bin")
USER = "socialcredit"
DATABASE = "socialcredit_test"
OS_USER = "postgres"
ENV = "SOCIALCREDIT_TEST_POSTGRES"
REQUIRE_ENV = "SOCIALCREDIT_TEST_REQUIRE_POSTGRES"


class ClusterError(RuntimeError):
    """The cluster could not be made or started; the message holds PostgreSQL's output."""


def find_bindir(patterns: tuple[str, ...] = SEARCH, path: str | None = None) -> Path | None:
    """The folder of the newest ``initdb``/``pg_ctl`` pair: the highest version among
    ``patterns``, else the one on ``path`` (the PATH when None); None if there is none."""
    found = [Path(d) for p in patterns for d in glob.glob(p)]
    found = [d for d in found if (d / "initdb").is_file() and (d / "pg_ctl").is_file()]
    if found:
        return max(found, key=lambda d: _version_key(d.parent.name))
    initdb = shutil.which("initdb", path=path)
    if initdb and shutil.which("pg_ctl", path=path):
        return Path(initdb).resolve().parent
    return None


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in name.split(".") if part.isdigit()) or (0,)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Cluster:
    """One cluster in ``root`` (made by :meth:`start`), gone after :meth:`stop`."""

    bindir: Path
    root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="socialcredit-pg-")))
    port: int = 0
    password: str = field(default_factory=lambda: secrets.token_hex(16))
    version: str = ""
    started: bool = False

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def url(self) -> str:
        return f"postgresql://{USER}:{self.password}@127.0.0.1:{self.port}/{DATABASE}"

    def _as_owner(self) -> list[str]:
        if os.geteuid() != 0:
            return []
        try:
            pwd.getpwnam(OS_USER)
        except KeyError:
            raise ClusterError(
                f"initdb refuses to run as root and there is no {OS_USER!r} OS user to run it"
            ) from None
        return ["runuser", "-u", OS_USER, "--"]

    def _run(self, *args: str) -> str:
        done = subprocess.run(
            [*self._as_owner(), *args], capture_output=True, text=True, check=False, timeout=120
        )
        if done.returncode != 0:
            raise ClusterError(f"{Path(args[0]).name} failed:\n{done.stdout}{done.stderr}")
        return done.stdout

    def start(self) -> str:
        """Make and start the cluster with its database; returns the URL."""
        self.started = True  # from here on, stop() tries pg_ctl stop
        prefix = self._as_owner()
        self.data.mkdir(mode=0o700)
        pwfile = self.root / "pw"
        pwfile.write_text(self.password + "\n")
        if prefix:
            self.root.chmod(0o755)
            owner = pwd.getpwnam(OS_USER)
            for p in (self.data, pwfile):
                os.chown(p, owner.pw_uid, owner.pw_gid)
        self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-U", USER, "-N",
                  "-A", "scram-sha-256", f"--pwfile={pwfile}", "-E", "UTF8",
                  "--locale=C")  # fmt: skip
        pwfile.unlink()
        self.version = self._run(str(self.bindir / "pg_ctl"), "--version").split()[2]
        options = (
            "-c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync=off "
            "-c full_page_writes=off -c synchronous_commit=off -c max_connections=200"
        )
        for attempt in range(3):
            self.port = free_port()
            try:
                self._run(str(self.bindir / "pg_ctl"), "start", "-w", "-t", "60", "-D",
                          str(self.data), "-l", str(self.data / "server.log"),
                          "-o", f"{options} -p {self.port}")  # fmt: skip
                break
            except ClusterError as exc:
                if attempt == 2:
                    raise ClusterError(f"{exc}\n{self.log()}") from None
        self._create_database()
        return self.url

    def _create_database(self) -> None:
        import psycopg  # the driver the store uses; imported here to keep conftest light

        admin = f"postgresql://{USER}:{self.password}@127.0.0.1:{self.port}/postgres"
        for _ in range(50):
            try:
                with psycopg.connect(admin, autocommit=True) as conn:
                    conn.execute(f"CREATE DATABASE {DATABASE}")
                return
            except psycopg.OperationalError:
                time.sleep(0.1)
        raise ClusterError(f"the cluster started but takes no connection\n{self.log()}")

    def log(self) -> str:
        path = self.data / "server.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        """Stop the server (immediately: nothing in it is kept) and remove the folder."""
        if self.started:
            self.started = False
            subprocess.run(
                [*self._as_owner(), str(self.bindir / "pg_ctl"), "stop", "-m", "immediate",
                 "-D", str(self.data)],
                capture_output=True, check=False, timeout=60,
            )  # fmt: skip
        shutil.rmtree(self.root, ignore_errors=True)


def configured_url(environ: MutableMapping[str, str]) -> str | None:
    """The test database's URL, None when there is none (unset, empty or ``off``)."""
    url = environ.get(ENV, "")
    return url if url and url != "off" else None


def _where(url: str) -> str:
    parts = urlsplit(url)  # host, port and database: never the password
    return f"{parts.hostname}:{parts.port or 5432}{parts.path}"


def session_postgres(
    environ: MutableMapping[str, str],
    selected: bool = True,
    patterns: tuple[str, ...] = SEARCH,
    path: str | None = None,
) -> tuple[str, Cluster | None]:
    """Which PostgreSQL a test session uses, as a line for its summary, and the cluster it
    started (to stop at the end) if any: the database ``ENV`` names, else a throwaway
    cluster whose URL goes into ``environ[ENV]`` (where pytest-xdist's workers inherit it),
    else none. With ``REQUIRE_ENV=1`` none is an error (:class:`ClusterError`)."""
    line, cluster = _choose(environ, selected, patterns, path)
    if cluster is None and line.startswith("skipped") and environ.get(REQUIRE_ENV) == "1":
        raise ClusterError(f"PostgreSQL is required ({REQUIRE_ENV}=1) but {line}")
    return line, cluster


def _choose(
    environ: MutableMapping[str, str], selected: bool, patterns: tuple[str, ...], path: str | None
) -> tuple[str, Cluster | None]:
    if environ.get(ENV) == "off":
        return f"skipped: {ENV}=off", None
    if url := configured_url(environ):
        return f"the database {ENV} names ({_where(url)})", None
    if not selected:
        return "not started: collection only, or -m excludes the postgres tests", None
    bindir = find_bindir(patterns, path)
    if bindir is None:
        return (
            f"skipped: no initdb/pg_ctl in {', '.join(patterns)} nor on PATH; install "
            f"PostgreSQL or set {ENV} to a test database URL"
        ), None
    cluster = Cluster(bindir)
    try:
        environ[ENV] = cluster.start()
    except ClusterError as exc:
        cluster.stop()
        return f"skipped: the throwaway cluster did not start: {exc}", None
    except BaseException:  # interrupted while starting: leave nothing behind
        cluster.stop()
        raise
    return (
        f"throwaway PostgreSQL {cluster.version} cluster ({bindir}) on 127.0.0.1:{cluster.port}"
        f" in {cluster.root}, removed at the end"
    ), cluster
