"""The demo's mail server: a local SMTP sink that keeps every message in an mbox file.

`make demo` delivers notices by e-mail to the addresses residents and
enterprises consented to; no message may leave the machine, so the demo
starts this sink on 127.0.0.1 and points the ``smtp`` channel at it. Each
message is appended to ``mail.mbox`` in the demo folder, where any mail reader
can open it.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from email.utils import formatdate
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller


class MboxSink:
    """An aiosmtpd handler appending each message to an mbox file, counting them."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.received = 0
        self.recipients: set[str] = set()
        self._lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        content = envelope.content
        raw = content if isinstance(content, bytes) else str(content).encode("utf-8")
        body = raw.replace(b"\r\n", b"\n").replace(b"\nFrom ", b"\n>From ")
        head = f"From {envelope.mail_from or 'MAILER-DAEMON'} {formatdate()}\n".encode()
        with self._lock, self.path.open("ab") as fh:
            fh.write(head + body + (b"" if body.endswith(b"\n") else b"\n") + b"\n")
            self.received += 1
            self.recipients.update(envelope.rcpt_tos)
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def smtp_sink(path: Path) -> Iterator[tuple[int, MboxSink]]:
    """Run the sink on a free local port while the block runs; yield the port and sink."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    sink = MboxSink(path)
    port = _free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, sink
    finally:
        controller.stop()


__all__ = ["MboxSink", "smtp_sink"]
