"""Files with personal data are their owner's only: the store and the notice channels'
files are created 0600 in 0700 folders whatever the umask, and the channels write
beside the store (``outbox/``), never into the working directory."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from socialcredit.cli import app as cli_app
from socialcredit.notices.channels import (
    HandOverChannel,
    JsonlChannel,
    channels_from_settings,
    outbox_folder,
)
from socialcredit.private_files import create_private
from socialcredit.services.ingest import ingestor
from socialcredit.settings import Settings
from socialcredit.store.database import Store

from support.factories import judgment_default, person_id

DEBTOR = person_id(seq=51)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """A umask that would leave new files readable and writable by everyone."""
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def append_private(path: Path, data: bytes) -> None:
    create_private(path)
    with path.open("ab") as fh:
        fh.write(data)


def test_a_private_file_and_its_new_folders_are_the_owner_s(
    tmp_path: Path, open_umask: None
) -> None:
    path = tmp_path / "a" / "b" / "feed.jsonl"
    append_private(path, b"one\n")
    append_private(path, b"two\n")
    assert path.read_bytes() == b"one\ntwo\n"
    assert mode(path) == 0o600
    assert mode(tmp_path / "a") == mode(tmp_path / "a" / "b") == 0o700


def test_an_existing_file_keeps_its_mode(tmp_path: Path) -> None:
    path = tmp_path / "shared.jsonl"
    path.write_bytes(b"")
    path.chmod(0o640)  # widened on purpose by an operator
    create_private(path)
    append_private(path, b"x\n")
    assert mode(path) == 0o640


def test_relative_channel_files_go_beside_the_store(tmp_path: Path) -> None:
    settings = Settings(
        db=f"sqlite:///{tmp_path / 'data' / 'store.db'}",
        notice_channels=("jsonl", "sms", "post"),
        post_file=str(tmp_path / "letters" / "post.jsonl"),
    )
    jsonl, sms, post = channels_from_settings(settings)
    assert isinstance(jsonl, JsonlChannel) and isinstance(sms, HandOverChannel)
    assert isinstance(post, HandOverChannel)
    assert outbox_folder(settings) == tmp_path / "data" / "outbox"
    assert jsonl.path == tmp_path / "data" / "outbox" / "notices.jsonl"
    assert sms.path == tmp_path / "data" / "outbox" / "sms.jsonl"
    assert post.path == tmp_path / "letters" / "post.jsonl"  # absolute: as given


def _contact(channel: str, address: str) -> dict[str, Any]:
    return {
        "provider": "platform.contacts",
        "ref": f"{DEBTOR}-{channel}",
        "subject": DEBTOR,
        "category": "registry.contact",
        "occurred_at": "2026-01-10",
        "attributes": {"channel": channel, "address": address, "consent": True},
    }


def test_the_sweep_writes_private_files_in_the_outbox_not_the_working_directory(
    sqlite_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, open_umask: None
) -> None:
    listing = judgment_default(
        ref="c-51",
        subject=DEBTOR,
        occurred_at="2026-03-01",
        attributes={"case_no": "c-51", "ground": "evades_enforcement"},
    )
    rows = [_contact("sms", "13905310051"), _contact("post", "山东省荣成市成山大道8号"), listing]
    assert ingestor(sqlite_store).ingest_dicts(rows).rejected == 0
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    env = {"SOCIALCREDIT_NOTICE_CHANNELS": "jsonl,sms,post"}
    args = ["--db", sqlite_store.url, "notices", "sweep", "--json"]
    result = CliRunner().invoke(cli_app, args, env=env)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["delivery"]["delivered"] >= 3
    outbox = Path(sqlite_store.url.removeprefix("sqlite:///")).parent / "outbox"
    assert mode(outbox) == 0o700
    for name in ("notices.jsonl", "sms.jsonl", "post.jsonl"):
        assert mode(outbox / name) == 0o600, name
        assert DEBTOR in (outbox / name).read_text(encoding="utf-8")
    assert list(elsewhere.iterdir()) == []
