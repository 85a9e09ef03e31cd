"""Where notices are delivered: pluggable channels.

A channel sends one notice or raises; the outbox retries until it succeeds.
Delivery is at least once, so every channel marks its messages with the
notice id for receivers to drop duplicates: the JSONL line carries ``id``,
the e-mail a ``Message-ID`` made from it and an ``X-Socialcredit-Notice``
header.
"""

from __future__ import annotations

import email.policy
import os
import smtplib
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path
from typing import Protocol

import orjson

from socialcredit.remedies.notices import Notice
from socialcredit.remedies.text import render_text
from socialcredit.settings import Settings

# headers are not folded below RFC 5322's 998 characters, so ids stay on one line
_POLICY = email.policy.SMTP.clone(max_line_length=998)


class Channel(Protocol):
    """Delivers notices somewhere; ``send`` returns when the notice is handed over."""

    name: str

    def send(self, notice: Notice) -> None:
        """Deliver one notice, or raise."""
        ...


def notice_json(notice: Notice) -> dict[str, object]:
    out: dict[str, object] = notice.model_dump(mode="json")
    out["text"] = render_text(notice)
    return out


class JsonlChannel:
    """Appends one JSON line per notice to a file (flushed and synced before returning)."""

    name = "jsonl"

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def send(self, notice: Notice) -> None:
        line = orjson.dumps(notice_json(notice), option=orjson.OPT_SORT_KEYS) + b"\n"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("ab") as fh:
            fh.write(line)
            fh.flush()
            os.fsync(fh.fileno())


class SmtpChannel:
    """Sends each notice as a plain-text e-mail to the recipient's platform mailbox,
    ``<identifier>@<domain of the sender>``."""

    name = "smtp"

    def __init__(self, host: str, port: int, sender: str, timeout: float = 30.0) -> None:
        self.host = host
        self.port = port
        self.sender = sender
        self.timeout = timeout
        self.domain = sender.rpartition("@")[2]

    def address(self, recipient: str) -> str:
        return f"{recipient.lower()}@{self.domain}"

    def message(self, notice: Notice) -> EmailMessage:
        msg = EmailMessage(policy=_POLICY)
        msg["From"] = self.sender
        msg["To"] = self.address(notice.recipient)
        msg["Subject"] = f"[socialcredit] {notice.body.title}"
        msg["Date"] = formatdate(localtime=False)
        msg["Message-ID"] = f"<{notice.id}@{self.domain}>"
        msg["X-Socialcredit-Notice"] = notice.id
        msg.set_content(render_text(notice))
        return msg

    def send(self, notice: Notice) -> None:
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
            smtp.send_message(self.message(notice))


def channels_from_settings(settings: Settings) -> list[Channel]:
    """The channels ``settings.notice_channels`` names, configured from the settings."""
    out: list[Channel] = []
    for name in dict.fromkeys(settings.notice_channels):
        if name == "jsonl":
            out.append(JsonlChannel(settings.notice_file))
        else:
            out.append(SmtpChannel(settings.smtp_host, settings.smtp_port, settings.smtp_from))
    return out
