"""Where notices are delivered: pluggable channels, each to an address the recipient chose.

A channel sends one notice or raises; the outbox retries until it succeeds.
Recipient channels reach the recipient at a contact it consented to
(:mod:`socialcredit.notices.contacts`): ``smtp`` e-mails the ``email``
address; ``sms`` and ``post`` hand the notice to the SMS gateway and the
print-and-post service through a JSONL file each (one line per message, with
the number or postal address). The ``jsonl`` channel is a feed of every notice
(to an archive or another system), not a way to reach the recipient.

Delivery is at least once, so every channel marks its messages with the
notice id for receivers to drop duplicates: the JSONL lines carry ``id``, the
e-mail a ``Message-ID`` made from it and an ``X-Socialcredit-Notice`` header.

The JSONL files hold full identity numbers, names and addresses: each is
created 0600 (its folders 0700, :mod:`socialcredit.private_files`), and a
relative file name in the settings is taken in the ``outbox`` folder beside the
store's database (:func:`outbox_folder`), never the working directory.
"""

from __future__ import annotations

import email.policy
import os
import smtplib
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path
from typing import BinaryIO, Protocol

import orjson

from socialcredit.notices.model import Notice
from socialcredit.notices.text import render_text
from socialcredit.private_files import create_private
from socialcredit.settings import Settings
from socialcredit.store.database import store_folder

# headers are not folded below RFC 5322's 998 characters, so ids stay on one line
_POLICY = email.policy.SMTP.clone(max_line_length=998)


class Channel(Protocol):
    """Delivers notices somewhere; ``send`` returns when the notice is handed over."""

    name: str  # the outbox channel
    contact: str | None  # the contact channel it reaches (email, sms, post); None: a feed

    def send(self, notice: Notice, address: str | None) -> None:
        """Deliver one notice (to ``address``, for a recipient channel), or raise."""
        ...

    def flush(self) -> None:
        """Make every notice sent so far durable (before the outbox records it), or raise."""
        ...

    def close(self) -> None:
        """Release what the channel holds open between sends, flushing first."""
        ...


def notice_json(notice: Notice) -> dict[str, object]:
    out: dict[str, object] = notice.model_dump(mode="json")
    out["text"] = render_text(notice)
    return out


class _Lines:
    """A private JSONL file kept open between sends: lines are written as they come and
    synced to disk by :meth:`sync` (the outbox syncs once per batch, before it records
    the batch as delivered), not one ``fsync`` per line."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fh: BinaryIO | None = None

    def write(self, value: dict[str, object]) -> None:
        if self._fh is None:
            create_private(self.path)
            self._fh = self.path.open("ab")
        self._fh.write(orjson.dumps(value, option=orjson.OPT_SORT_KEYS) + b"\n")

    def sync(self) -> None:
        if self._fh is not None:
            self._fh.flush()
            os.fsync(self._fh.fileno())

    def close(self) -> None:
        fh, self._fh = self._fh, None
        if fh is not None:
            try:
                fh.flush()
                os.fsync(fh.fileno())
            finally:
                fh.close()


class JsonlChannel:
    """A feed of every notice: one JSON line per notice appended to a file."""

    name = "jsonl"
    contact: str | None = None

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lines = _Lines(self.path)

    def send(self, notice: Notice, address: str | None = None) -> None:
        self._lines.write(notice_json(notice))

    def flush(self) -> None:
        self._lines.sync()

    def close(self) -> None:
        self._lines.close()


class HandOverChannel:
    """Hands notices to an outside service (an SMS gateway, a print-and-post service)
    through a JSONL file: one line per message with its ``to`` address and ``text``."""

    def __init__(self, name: str, contact: str, path: str | Path) -> None:
        self.name = name
        self.contact: str | None = contact
        self.path = Path(path)
        self._lines = _Lines(self.path)

    def text(self, notice: Notice) -> str:
        if self.contact != "sms":
            return render_text(notice)
        return (
            f"[socialcredit] {notice.body.title}. The full notice, with how to object: "
            f"socialcredit notices list {notice.recipient} or GET /v1/notices?subject="
            f"{notice.recipient} (notice {notice.id[:12]})"
        )

    def send(self, notice: Notice, address: str | None) -> None:
        if not address:
            raise ValueError(f"a {self.contact} notice needs an address")
        self._lines.write(
            {"id": notice.id, "channel": self.contact, "to": address, "text": self.text(notice)}
        )

    def flush(self) -> None:
        self._lines.sync()

    def close(self) -> None:
        self._lines.close()


class SmtpChannel:
    """Sends each notice as a plain-text e-mail to the recipient's consented address,
    over one connection kept open between sends (closed by :meth:`close`)."""

    name = "smtp"
    contact: str | None = "email"

    def __init__(self, host: str, port: int, sender: str, timeout: float = 30.0) -> None:
        self.host = host
        self.port = port
        self.sender = sender
        self.timeout = timeout
        self.domain = sender.rpartition("@")[2]
        self._smtp: smtplib.SMTP | None = None

    def message(self, notice: Notice, address: str) -> EmailMessage:
        msg = EmailMessage(policy=_POLICY)
        msg["From"] = self.sender
        msg["To"] = address
        msg["Subject"] = f"[socialcredit] {notice.body.title}"
        msg["Date"] = formatdate(localtime=False)
        msg["Message-ID"] = f"<{notice.id}@{self.domain}>"
        msg["X-Socialcredit-Notice"] = notice.id
        msg.set_content(render_text(notice))
        return msg

    def send(self, notice: Notice, address: str | None) -> None:
        if not address:
            raise ValueError("an e-mail notice needs an address")
        if self._smtp is None:
            self._smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        try:
            self._smtp.send_message(self.message(notice, address))
        except (smtplib.SMTPException, OSError):
            self.close()  # a fresh connection for the next attempt
            raise

    def flush(self) -> None:
        return None  # the SMTP server accepted each message when send returned

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                smtp.close()


def outbox_folder(settings: Settings) -> Path:
    """Where relative channel files go: ``outbox`` beside a SQLite store's database file
    (in the working directory for a PostgreSQL store, which has no folder)."""
    return (store_folder(settings.db) or Path()) / "outbox"


def channel_file(settings: Settings, name: str) -> Path:
    """A channel file setting as a path: an absolute one as it is, a relative one in
    the outbox folder."""
    path = Path(name).expanduser()
    return path if path.is_absolute() else outbox_folder(settings) / path


def channels_from_settings(settings: Settings) -> list[Channel]:
    """The channels ``settings.notice_channels`` names, configured from the settings."""
    out: list[Channel] = []
    for name in dict.fromkeys(settings.notice_channels):
        if name == "jsonl":
            out.append(JsonlChannel(channel_file(settings, settings.notice_file)))
        elif name == "smtp":
            out.append(SmtpChannel(settings.smtp_host, settings.smtp_port, settings.smtp_from))
        elif name == "sms":
            out.append(HandOverChannel("sms", "sms", channel_file(settings, settings.sms_file)))
        else:
            out.append(HandOverChannel("post", "post", channel_file(settings, settings.post_file)))
    return out
