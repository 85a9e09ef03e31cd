"""Online backup and restore of the store, verified round trip.

* SQLite: the SQLite online backup API copies a consistent snapshot page by
  page while the store stays in use (readers and the writer are not stopped).
* PostgreSQL: ``pg_dump`` in its custom format, in one snapshot; restored
  with ``pg_restore``. The password travels in the environment
  (``PGPASSWORD``), never on a command line.

A backup is written to a temporary file beside ``OUT`` (0600), its audit
chain verified, and only then renamed to ``OUT``: a backup that fails leaves
nothing behind. A restore is refused into a store that holds any record or
audit entry (``restore_refused``): it never mixes two histories. After a
restore the chain is verified again.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import make_url

from socialcredit.errors import SocialCreditError
from socialcredit.private_files import create_private
from socialcredit.store.database import Store, make_engine
from socialcredit.store.verify import Verification, verify

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"


class BackupFailed(SocialCreditError):
    """The backup or restore could not be made (tool missing, disk full, bad file)."""

    code = "backup_failed"
    status = 500


class RestoreRefused(SocialCreditError):
    """A restore into a store that already holds records or audit entries."""

    code = "restore_refused"
    status = 409


@dataclass(frozen=True)
class BackupResult:
    path: Path
    engine: str
    bytes: int
    chain: Verification


def backup(store: Store, out: Path) -> BackupResult:
    """A consistent copy of ``store`` at ``out`` (which must not exist)."""
    if out.exists():
        raise BackupFailed(f"{out} exists: a backup never overwrites a file", field="out")
    partial = out.with_name(out.name + ".partial")
    partial.unlink(missing_ok=True)
    create_private(partial)
    try:
        if store.dialect == "sqlite":
            chain = _sqlite_backup(store, partial)
        else:
            with store.reader() as conn:
                chain = verify(conn)
            _pg_dump(store.url, partial)
        if not chain.ok:
            raise BackupFailed(f"the audit chain does not verify ({chain.reason}): not backed up")
        os.replace(partial, out)
    except OSError as exc:
        raise BackupFailed(f"cannot write {out}: {exc.strerror or exc}", field="out") from exc
    finally:
        partial.unlink(missing_ok=True)
    return BackupResult(out, store.dialect, out.stat().st_size, chain)


def restore(backup_file: Path, url: str) -> Verification:
    """Restore ``backup_file`` into the empty store at ``url``; the chain verified."""
    try:
        with backup_file.open("rb") as handle:
            head = handle.read(16)
    except OSError as exc:
        raise BackupFailed(f"cannot read {backup_file}: {exc.strerror or exc}") from exc
    engine = make_engine(url)
    try:
        dialect = engine.dialect.name
        _require_empty(engine)
    finally:
        engine.dispose()
    if dialect == "sqlite" and head.startswith(SQLITE_MAGIC):
        _sqlite_restore(backup_file, url)
    elif dialect == "postgresql" and head.startswith(PG_MAGIC):
        _pg_restore(backup_file, url)
    else:
        raise BackupFailed(
            f"{backup_file} is not a {dialect} backup of socialcredit "
            "(a backup restores into a store of the same engine)",
            field="in",
        )
    restored = Store(url)
    try:
        restored.require_schema()
        with restored.reader() as conn:
            chain = verify(conn)
    finally:
        restored.close()
    if not chain.ok:
        raise BackupFailed(f"the restored audit chain does not verify ({chain.reason})")
    return chain


def _require_empty(engine: Engine) -> None:
    """Refuse a target that holds records or audit entries (and, on PostgreSQL, where
    pg_restore creates every table itself, any table at all)."""
    where = engine.url.render_as_string(hide_password=True)
    with engine.connect() as conn:
        names = set(inspect(conn).get_table_names())
        if engine.dialect.name == "postgresql" and names:
            raise RestoreRefused(
                f"the store at {where} has tables: restore into a new, empty database"
            )
        for table in ("records", "audit_log"):
            if table in names and conn.execute(text(f"SELECT 1 FROM {table} LIMIT 1")).first():
                raise RestoreRefused(
                    f"the store at {where} holds {table}: a backup is restored only into "
                    "an empty store"
                )


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupFailed("an in-memory store has nothing to back up")
    return Path(database)


def _sqlite_backup(store: Store, partial: Path) -> Verification:
    source = sqlite3.connect(_sqlite_path(store.url))
    target = sqlite3.connect(partial)
    try:
        source.backup(target, pages=4096)
    except sqlite3.Error as exc:
        raise BackupFailed(f"the SQLite backup failed: {exc}") from exc
    finally:
        target.close()
        source.close()
    copy = Store(f"sqlite:///{partial}")
    try:
        with copy.reader() as conn:
            return verify(conn)
    finally:
        copy.close()


def _sqlite_restore(backup_file: Path, url: str) -> None:
    path = _sqlite_path(url)
    create_private(path)
    source = sqlite3.connect(backup_file)
    target = sqlite3.connect(path)
    try:
        source.backup(target)
    except sqlite3.Error as exc:
        raise BackupFailed(f"the SQLite restore failed: {exc}") from exc
    finally:
        target.close()
        source.close()


def _pg_args(url: str) -> tuple[list[str], dict[str, str], str | None]:
    """Connection arguments for pg_dump / pg_restore, the environment with the password,
    and the store's schema when the URL sets a ``search_path``."""
    parsed = make_url(url.replace("postgresql+psycopg://", "postgresql://", 1))
    env = {**os.environ}
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    args = ["--host", parsed.host or "localhost", "--port", str(parsed.port or 5432)]
    args += ["--username", parsed.username or "postgres", "--dbname", parsed.database or ""]
    raw = parsed.query.get("options", "")
    options = unquote(raw if isinstance(raw, str) else " ".join(raw))
    schema = None
    if "search_path=" in options:
        schema = options.split("search_path=", 1)[1].split()[0].split(",")[0]
    return args, env, schema


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupFailed(f"{name} is not installed (the PostgreSQL client tools)")
    return found


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        message = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "failed"
        raise BackupFailed(f"{Path(command[0]).name}: {message}")


def _pg_dump(url: str, partial: Path) -> None:
    args, env, schema = _pg_args(url)
    only = ["--schema", schema] if schema else []
    _run([_tool("pg_dump"), "--format=custom", "--no-owner", *args, *only, "-f", str(partial)], env)


def _pg_restore(backup_file: Path, url: str) -> None:
    args, env, _schema = _pg_args(url)  # the dump creates its own schema
    command = [_tool("pg_restore"), "--no-owner", "--exit-on-error", "--single-transaction"]
    _run([*command, *args, str(backup_file)], env)
