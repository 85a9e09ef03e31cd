"""``backup`` / ``restore``: a verified round trip, refusals that leave nothing behind."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text
from typer.testing import CliRunner

from socialcredit.cli import app
from socialcredit.ledger.bootstrap import init_store
from socialcredit.settings import Settings
from socialcredit.store.backup import BackupFailed, RestoreRefused, backup, restore
from socialcredit.store.database import Store
from socialcredit.store.tables import audit_log, list_entries, records
from socialcredit.store.verify import verify

from support.remedies import listed_debtor


def _counts(url: str) -> tuple[int, int, int]:
    s = Store(url)
    try:
        with s.reader() as conn:
            return (
                conn.execute(select(func.count()).select_from(records)).scalar_one(),
                conn.execute(select(func.count()).select_from(audit_log)).scalar_one(),
                conn.execute(select(func.count()).select_from(list_entries)).scalar_one(),
            )
    finally:
        s.close()


def _empty_target(store: Store, tmp_path: Path) -> str:
    """A new, empty store of the same engine. On PostgreSQL the dump recreates the
    store's own schema, so the source schema is dropped and restored in place."""
    if store.dialect == "sqlite":
        return f"sqlite:///{tmp_path / 'restored.db'}"
    schema = store.url.split("search_path%3D", 1)[1].split("&")[0]
    store.close()
    admin = create_engine(store.url.split("?", 1)[0])
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()
    return store.url


def test_a_backup_restores_every_record_entry_and_the_intact_chain(
    store: Store, tmp_path: Path
) -> None:
    listed_debtor(store)
    before = _counts(store.url)
    out = tmp_path / "store.backup"
    result = backup(store, out)
    assert result.chain.ok and result.chain.records == before[0] > 0
    assert out.stat().st_mode & 0o777 == 0o600
    assert not list(tmp_path.glob("*.partial"))
    target = _empty_target(store, tmp_path)
    chain = restore(out, target)
    assert chain.ok and chain.entries == before[1]
    assert _counts(target) == before


def test_a_restore_into_a_store_that_holds_records_is_refused_and_changes_nothing(
    store: Store, tmp_path: Path
) -> None:
    listed_debtor(store)
    out = tmp_path / "store.backup"
    backup(store, out)
    before = _counts(store.url)
    with pytest.raises(RestoreRefused) as err:
        restore(out, store.url)
    assert err.value.code == "restore_refused" and err.value.status == 409
    assert _counts(store.url) == before


def test_a_backup_never_overwrites_and_a_foreign_file_is_not_restored(
    store: Store, tmp_path: Path
) -> None:
    out = tmp_path / "exists.backup"
    out.write_text("keep me")
    with pytest.raises(BackupFailed):
        backup(store, out)
    assert out.read_text() == "keep me"
    foreign = tmp_path / "notes.txt"
    foreign.write_text("not a backup")
    with pytest.raises(BackupFailed) as err:
        restore(foreign, f"sqlite:///{tmp_path / 'new.db'}")
    assert err.value.code == "backup_failed"
    with pytest.raises(BackupFailed):
        restore(tmp_path / "missing.backup", f"sqlite:///{tmp_path / 'new2.db'}")


def test_a_backup_of_a_broken_chain_is_refused_and_leaves_no_file(
    tmp_path: Path, clock: object
) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    store = Store(url)
    init_store(store, Settings(db=url))
    with store.writer() as conn:
        conn.execute(text("UPDATE audit_log SET payload = '{}' WHERE seq = 1"))
    out = tmp_path / "broken.backup"
    with pytest.raises(BackupFailed) as err:
        backup(store, out)
    store.close()
    assert "does not verify" in str(err.value)
    assert not out.exists() and not list(tmp_path.glob("*.partial"))


def test_the_commands_back_up_and_restore_with_json_summaries(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    runner = CliRunner()
    assert runner.invoke(app, ["--db", url, "init"]).exit_code == 0
    out = tmp_path / "b.backup"
    made = runner.invoke(app, ["--db", url, "backup", str(out), "--json"])
    assert made.exit_code == 0, made.output
    assert json.loads(made.output)["chain"]["ok"] is True
    target = f"sqlite:///{tmp_path / 'restored.db'}"
    done = runner.invoke(app, ["--db", target, "restore", str(out), "--json"])
    assert done.exit_code == 0, done.output
    assert json.loads(done.output)["chain"]["ok"] is True
    again = runner.invoke(app, ["--db", target, "restore", str(out)])
    assert isinstance(again.exception, RestoreRefused)
    s = Store(target)
    with s.reader() as conn:
        assert verify(conn).ok
    s.close()
    assert os.stat(tmp_path / "restored.db").st_mode & 0o777 == 0o600
