"""The outbox: notices delivered at least once -- to the addresses recipients consented
to (a real SMTP server, the SMS and post hand-over files), else to the platform mailbox,
and to a JSONL feed -- retried with backoff after failures, never lost, all of them in
one run."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import json
import socket
from collections.abc import Iterator
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select
from typer.testing import CliRunner

from socialcredit.cli import app as cli_app
from socialcredit.clock import FixedClock
from socialcredit.notices.channels import (
    HandOverChannel,
    JsonlChannel,
    SmtpChannel,
    channels_from_settings,
)
from socialcredit.notices.model import Notice, notices_for
from socialcredit.notices.outbox import backoff, deliver
from socialcredit.services.ingest import ingestor
from socialcredit.settings import Settings
from socialcredit.store.database import Store
from socialcredit.store.tables import audit_log, outbox
from socialcredit.store.verify import verify

from support.factories import judgment_default, person_id

DEBTOR = person_id(seq=41)
SENDER = "notices@credit.example"


def contact(
    channel: str, address: str, consent: bool = True, ref: str | None = None
) -> dict[str, Any]:
    return {
        "provider": "platform.contacts",
        "ref": ref or f"{DEBTOR}-{channel}",
        "subject": DEBTOR,
        "category": "registry.contact",
        "occurred_at": "2026-01-10",
        "attributes": {"channel": channel, "address": address, "consent": consent},
    }


def give(store: Store, *rows: dict[str, Any]) -> None:
    assert ingestor(store).ingest_dicts(rows).rejected == 0


def listed(store: Store, n: int = 1) -> list[Notice]:
    rows = [
        judgment_default(
            ref=f"c-{i}",
            subject=DEBTOR,
            occurred_at="2026-03-01",
            attributes={"case_no": f"c-{i}", "ground": "evades_enforcement"},
        )
        for i in range(n)
    ]
    assert ingestor(store).ingest_dicts(rows).rejected == 0
    with store.reader() as conn:
        return notices_for(conn, DEBTOR)


def lines(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Mailbox:
    """An aiosmtpd handler keeping every message it receives."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], Message]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_port() -> int:
    return free_port()


@pytest.fixture
def mailbox(smtp_port: int) -> Iterator[Mailbox]:
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()


def test_the_jsonl_channel_appends_one_line_per_notice(store: Store, tmp_path: Path) -> None:
    made = listed(store, 2)
    path = tmp_path / "out" / "notices.jsonl"
    result = deliver(store, [JsonlChannel(path)])
    # the feed gets both; the debtor, with no consented contact, gets them in the mailbox
    assert (result.fanned_out, result.delivered, result.mailbox) == (4, 2, 2)
    assert (result.failed, result.pending) == (0, 0)
    got = lines(path)
    assert sorted(g["id"] for g in got) == sorted(n.id for n in made)
    assert got[0]["kind"] == "listing_pending" and "How to object" in got[0]["text"]
    assert got[0]["body"]["effective_on"] == "2026-04-01"  # 30 days from 2026-03-02
    assert deliver(store, [JsonlChannel(path)]).delivered == 0  # delivered once is enough
    assert len(lines(path)) == 2
    with store.reader() as conn:
        delivered = [r for r in conn.execute(select(audit_log)) if r.event == "notice.delivered"]
        assert len(delivered) == 4 and verify(conn).ok


def test_the_smtp_channel_sends_to_the_consented_address(
    store: Store, mailbox: Mailbox, smtp_port: int
) -> None:
    give(store, contact("email", "wang.fang@mail.example"), contact("sms", "13905310001", False))
    (notice,) = listed(store)
    channel = SmtpChannel("127.0.0.1", smtp_port, SENDER)
    result = deliver(store, [channel])
    assert (result.delivered, result.mailbox) == (1, 0), result.errors
    ((rcpt, message),) = mailbox.messages
    assert rcpt == ["wang.fang@mail.example"]  # the address the debtor gave, not one made up
    assert message["To"] == "wang.fang@mail.example"
    assert message["From"] == SENDER
    assert message["Subject"] == f"[socialcredit] {notice.body.title}"
    assert message["Message-ID"] == f"<{notice.id}@credit.example>"
    assert message["X-Socialcredit-Notice"] == notice.id
    body = message.get_payload(decode=True)
    assert isinstance(body, bytes)
    text = body.decode("utf-8")
    assert "List of dishonest judgment defaulters" in text
    assert "Takes or took effect: 2026-04-01" in text and "How to repair" in text


def test_a_failing_channel_is_retried_with_backoff_until_it_delivers(
    store: Store, smtp_port: int
) -> None:
    give(store, contact("email", "debtor@mail.example"))
    (notice,) = listed(store)
    clock = store.clock
    assert isinstance(clock, FixedClock)
    channel = SmtpChannel("127.0.0.1", smtp_port, SENDER, timeout=5)  # nothing listens yet
    first = deliver(store, [channel])
    assert (first.delivered, first.failed, first.pending) == (0, 1, 1)
    with store.reader() as conn:
        row = conn.execute(select(outbox).where(outbox.c.channel == "smtp")).one()
    assert row.attempts == 1 and row.delivered_at is None and row.last_error
    assert row.next_attempt_at == clock.now() + backoff(1)
    assert deliver(store, [channel]).failed == 0  # not due yet: no attempt
    clock.advance(minutes=1)
    assert deliver(store, [channel]).failed == 1
    with store.reader() as conn:
        row = conn.execute(select(outbox).where(outbox.c.channel == "smtp")).one()
    assert row.attempts == 2 and row.next_attempt_at == clock.now() + dt.timedelta(minutes=2)

    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        clock.advance(minutes=2)
        done = deliver(store, [channel])
    finally:
        controller.stop()
    assert (done.delivered, done.pending) == (1, 0)
    assert box.messages[0][1]["X-Socialcredit-Notice"] == notice.id
    with store.reader() as conn:
        row = conn.execute(select(outbox).where(outbox.c.channel == "smtp")).one()
    assert row.attempts == 3 and row.delivered_at == clock.now() and row.last_error is None


class CrashAfterSend(JsonlChannel):
    """Hands the notice over, then dies before the outbox can record it."""

    def send(self, notice: Notice, address: str | None = None) -> None:
        super().send(notice, address)
        raise ConnectionResetError("lost the connection after sending")


def test_delivery_is_at_least_once(store: Store, tmp_path: Path) -> None:
    (notice,) = listed(store)
    path = tmp_path / "notices.jsonl"
    assert deliver(store, [CrashAfterSend(path)]).failed == 1
    clock = store.clock
    assert isinstance(clock, FixedClock)
    clock.advance(minutes=1)
    assert deliver(store, [JsonlChannel(path)]).delivered == 1
    # sent twice, recorded once: receivers drop the duplicate by id
    assert [g["id"] for g in lines(path)] == [notice.id, notice.id]


def test_notices_wait_for_a_channel_and_are_never_lost(store: Store, tmp_path: Path) -> None:
    listed(store)
    nothing = deliver(store, [])
    assert (nothing.fanned_out, nothing.delivered, nothing.pending) == (0, 0, 1)
    path = tmp_path / "notices.jsonl"
    assert deliver(store, [JsonlChannel(path)]).delivered == 1
    assert len(lines(path)) == 1


def test_channels_come_from_the_settings(tmp_path: Path) -> None:
    settings = Settings.from_env(
        {
            "SOCIALCREDIT_NOTICE_CHANNELS": "jsonl, smtp, sms, post",
            "SOCIALCREDIT_NOTICE_FILE": str(tmp_path / "n.jsonl"),
            "SOCIALCREDIT_SMTP_HOST": "mail.internal",
            "SOCIALCREDIT_SMTP_PORT": "2525",
            "SOCIALCREDIT_SMTP_FROM": SENDER,
            "SOCIALCREDIT_SMS_FILE": str(tmp_path / "s.jsonl"),
            "SOCIALCREDIT_POST_FILE": str(tmp_path / "p.jsonl"),
        }
    )
    jsonl, smtp, sms, post = channels_from_settings(settings)
    assert isinstance(jsonl, JsonlChannel) and jsonl.path == tmp_path / "n.jsonl"
    assert isinstance(smtp, SmtpChannel)
    assert (smtp.host, smtp.port, smtp.sender) == ("mail.internal", 2525, SENDER)
    assert isinstance(sms, HandOverChannel) and sms.path == tmp_path / "s.jsonl"
    assert isinstance(post, HandOverChannel) and (post.contact, post.path) == (
        "post",
        tmp_path / "p.jsonl",
    )
    assert channels_from_settings(Settings(notice_channels=())) == []


def test_only_consented_channels_are_used_else_the_mailbox(store: Store, tmp_path: Path) -> None:
    give(
        store,
        contact("sms", "13905310002"),
        contact("post", "山东省威海市荣成市崖头街道成山大道8号", consent=False),
        contact("email", "not an address"),  # unusable: never tried
    )
    listed(store)
    sms = HandOverChannel("sms", "sms", tmp_path / "sms.jsonl")
    post = HandOverChannel("post", "post", tmp_path / "post.jsonl")
    result = deliver(store, [sms, post, SmtpChannel("127.0.0.1", free_port(), SENDER)])
    assert (result.by_channel, result.mailbox, result.pending) == ({"sms": 1}, 0, 0)
    (message,) = lines(tmp_path / "sms.jsonl")
    assert (
        message["to"] == "13905310002" and f"socialcredit notices list {DEBTOR}" in message["text"]
    )
    assert lines(tmp_path / "post.jsonl") == []
    # consent withdrawn: the next notice goes to the platform mailbox
    give(store, contact("sms", "13905310002", consent=False, ref="sms-withdrawn"))
    listed(store, 2)
    again = deliver(store, [sms, post])
    assert (again.by_channel, again.mailbox) == ({}, 1)
    with store.reader() as conn:
        boxed = conn.execute(select(outbox).where(outbox.c.channel == "mailbox")).all()
    assert len(boxed) == 1 and boxed[0].delivered_at is not None


def test_one_run_delivers_everything_that_is_due(store: Store, tmp_path: Path) -> None:
    made = listed(store, 25)
    path = tmp_path / "n.jsonl"
    result = deliver(store, [JsonlChannel(path)], limit=10)  # three batches
    assert (result.delivered, result.pending) == (25, 0)
    assert len(lines(path)) == len(made) == 25


def test_the_sweep_command_generates_and_delivers(store: Store, tmp_path: Path) -> None:
    listed(store)
    path = tmp_path / "swept.jsonl"
    runner = CliRunner()
    env = {"SOCIALCREDIT_NOTICE_FILE": str(path), "SOCIALCREDIT_NOTICE_CHANNELS": "jsonl"}
    result = runner.invoke(cli_app, ["--db", store.url, "notices", "sweep", "--json"], env=env)
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    # the command runs on the system clock: the listing may have taken effect since
    assert body["delivery"]["delivered"] == 1 + sum(body["created"].values())
    assert body["delivery"]["pending"] == 0
    assert len(lines(path)) == body["delivery"]["delivered"]
    text = runner.invoke(cli_app, ["--db", store.url, "notices", "sweep"], env=env)
    assert text.exit_code == 0 and "notices created: 0" in text.stdout


class DiskFullOnFlush(JsonlChannel):
    """Takes the lines, then cannot make them durable."""

    def flush(self) -> None:
        raise OSError(28, "No space left on device")


def test_a_batch_the_channel_cannot_make_durable_is_not_recorded_as_delivered(
    store: Store, tmp_path: Path
) -> None:
    listed(store)
    path = tmp_path / "notices.jsonl"
    first = deliver(store, [DiskFullOnFlush(path)])
    assert (first.delivered, first.failed, first.pending) == (0, 1, 1)
    assert "No space left on device" in first.errors[0]
    clock = store.clock
    assert isinstance(clock, FixedClock)
    clock.advance(minutes=1)
    again = deliver(store, [JsonlChannel(path)])
    assert (again.delivered, again.pending) == (1, 0)
