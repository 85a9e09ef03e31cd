"""Stores for the crash harness: a fresh one per trial, and what it holds, compared.

A fresh SQLite store is a copy of one initialised template (``socialcredit
init`` and the city's providers, done once); a fresh PostgreSQL store is a new
schema of the test database, initialised the same way, dropped after the trial
(as tests/conftest.py does). Snapshots read the store with plain SQL, leaving
out what differs between two correct runs (sequence numbers, timestamps,
evaluation run numbers), so that two stores holding the same ledger compare
equal exactly when their derived state is the same.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text

CLI = [sys.executable, "-m", "socialcredit.cli"]

# derived state: the business columns of each table (no ids made of counters, no times)
DERIVED = {
    "list_entries": "id, list, kind, subject, status_basis, pending_from, effective_from, ends_on",
    "enforcement_index": (
        "subject, action, effect, measure, entry, owner, target, valid_from, valid_to"
    ),
    "assessments": (
        "subject, scheme, status, score_units, government_units, commercial_units, "
        "social_units, judicial_units, grade"
    ),
    "notices": "id, subject, recipient, kind, ref, effective_on",
}


def cli(url: str, *args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run one ``socialcredit`` command on the store and wait for it."""
    return subprocess.run(
        [*CLI, "--db", url, *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


def initialise(url: str, providers: Path, cwd: Path, env: dict[str, str]) -> None:
    for args in (("init",), ("providers", "register", str(providers))):
        done = cli(url, *args, cwd=cwd, env=env)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed: {done.stderr.strip()}")


@contextmanager
def fresh_store(
    base: str | None, template: Path | None, folder: Path, providers: Path, env: dict[str, str]
) -> Iterator[str]:
    """A new, initialised store: a copy of the SQLite template, or a new PostgreSQL schema."""
    folder.mkdir(parents=True, exist_ok=True)
    if base is None:
        assert template is not None
        shutil.copyfile(template, folder / "store.db")
        yield f"sqlite:///{folder / 'store.db'}"
        return
    schema = "crash_" + uuid.uuid4().hex[:12]
    url = base.replace("postgresql://", "postgresql+psycopg://", 1)
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in url else "?"
    try:
        trial_url = f"{url}{sep}options=-csearch_path%3D{schema}"
        initialise(trial_url, providers, folder, env)
        yield trial_url
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def sqlite_template(folder: Path, providers: Path, env: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "template.db"
    initialise(f"sqlite:///{path}", providers, folder, env)
    return path


def rows(url: str, table: str, columns: str) -> list[tuple[object, ...]]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            found = conn.execute(text(f"SELECT {columns} FROM {table}")).all()
    finally:
        engine.dispose()
    return sorted((tuple(r) for r in found), key=repr)


def record_keys(url: str) -> list[tuple[str, str]]:
    """Every (provider, ref) in the ledger, as often as it is stored."""
    return [(str(p), str(r)) for p, r in rows(url, "records", "provider, ref")]


def derived(
    url: str, tables: tuple[str, ...] = tuple(DERIVED)
) -> dict[str, list[tuple[object, ...]]]:
    return {name: rows(url, name, DERIVED[name]) for name in tables}


def smtp_rows(url: str) -> list[tuple[object, ...]]:
    """The outbox's e-mail rows: (notice, delivered?)."""
    return rows(url, "outbox WHERE channel = 'smtp'", "notice, delivered_at IS NOT NULL")


def differences(
    got: dict[str, list[tuple[object, ...]]], want: dict[str, list[tuple[object, ...]]]
) -> list[str]:
    """One line per table whose rows differ, with how many are missing and extra."""
    out = []
    for name, expected in want.items():
        have = got.get(name, [])
        if have != expected:
            missing = len(set(expected) - set(have))
            extra = len(set(have) - set(expected))
            out.append(
                f"{name}: {len(have)} rows, expected {len(expected)} "
                f"({missing} missing, {extra} extra)"
            )
    return out
