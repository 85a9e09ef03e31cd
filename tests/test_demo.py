"""`make demo` on a small city: notices reach consented addresses through a local SMTP
sink, the SMS and post hand-over files and the platform mailbox, none stays pending and
none arrives after its listing took effect."""

from __future__ import annotations

import json
import logging
import mailbox
import re
import socket
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from socialcredit.access.principal import ACCOUNT_ROLES
from socialcredit.access.users import authenticate, list_users
from socialcredit.demo import main
from socialcredit.demo_portal import BACKGROUND, session_secret, supervise_in_background
from socialcredit.remedies.cases import cases
from socialcredit.safeguards.audit import audit_safeguards, undelivered_notices
from socialcredit.settings import Settings
from socialcredit.store.database import Store
from socialcredit.store.tables import agency_grants, list_entries, outbox
from socialcredit.store.verify import verify
from socialcredit.supervision.saved import latest
from socialcredit.web.app import create_app


@pytest.mark.slow
def test_the_demo_delivers_every_notice_to_real_addresses(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)  # every log record of the run, of every logger
    monkeypatch.chdir(tmp_path)  # as `make demo` runs it: --dir relative to where it runs
    root = tmp_path / "demo"
    args = ["--dir", "demo", "--persons", "1000", "--enterprises", "100", "--years", "1"]
    args.append("--no-serve")
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert [p.name for p in tmp_path.iterdir()] == ["demo"]  # nothing outside its folder
    store = Store(f"sqlite:///{root / 'socialcredit.db'}")
    try:
        with store.reader() as conn:
            rows = conn.execute(
                select(outbox.c.channel, func.count(), func.count(outbox.c.delivered_at)).group_by(
                    outbox.c.channel
                )
            ).all()
        by_channel = {channel: (n, done) for channel, n, done in rows}
        assert all(n == done for n, done in by_channel.values()), by_channel  # none pending
        assert {"smtp", "sms", "mailbox", "jsonl"} <= set(by_channel)
        assert undelivered_notices(store) == []
        audit = audit_safeguards(store)  # every safeguard holds on the demo
        assert audit.ok, [v.text() for v in audit.violations]
        assert audit.entries > 0 and audit.counts["stale"].checked > 0 and audit.review
        _the_portal_logins_are_ready(store, root)
        _no_secret_in_the_logs(root, printed, caplog.text)
        _the_supervision_reports_are_saved(store, root, printed)
    finally:
        store.close()
    messages = list(mailbox.mbox(str(root / "mail.mbox")))
    assert len(messages) == by_channel["smtp"][0]
    # addresses the subjects gave (reserved example domains), never made from identifiers
    assert all(str(m["To"]).endswith(".example") for m in messages)
    texts = [json.loads(line) for line in (root / "sms.jsonl").read_text().splitlines()]
    assert texts and all(t["to"].isdigit() and len(t["to"]) == 11 for t in texts)


def _the_portal_logins_are_ready(store: Store, root: Path) -> None:
    """A login of every account role with its printed password; the resident is listed,
    has an objection open and authorised the demo agency; the session secret is kept."""
    accounts = {a.id: a for a in list_users(store)}
    assert {a.role for a in accounts.values()} == set(ACCOUNT_ROLES)
    for account in accounts:
        authenticate(store, account, f"{account}-demo-2026")
    resident = accounts["resident"].subject
    assert resident is not None and accounts["legalrep"].subject
    with store.reader() as conn:
        listed = conn.execute(select(list_entries.c.id).where(list_entries.c.subject == resident))
        assert listed.first() is not None
        granted = conn.execute(
            select(agency_grants.c.agency).where(agency_grants.c.subject == resident)
        ).scalar()
    assert granted == accounts["agency"].agency
    assert any(c.to_dict()["subject"] == resident for c in cases(store))
    secret = root / "session.secret"
    assert secret.stat().st_mode & 0o777 == 0o600
    assert session_secret(root) == secret.read_text().strip()  # reused, not redrawn
    app = create_app(Settings(db=store.url, session_secret=session_secret(root)))
    with TestClient(app) as client:
        form = client.get("/login").text
        csrf = form.split('name="csrf" value="', 1)[1].split('"', 1)[0]
        data = {"account": "admin", "password": "admin-demo-2026", "csrf": csrf}
        assert client.post("/login", data=data).status_code == 200  # followed to /admin
        assert "resident" in client.get("/admin").text


def _the_supervision_reports_are_saved(store: Store, root: Path, printed: str) -> None:
    """The providers' report is saved during the build; the others in the background once
    the server answers (here: a socket listening on a free port), each in a child process
    whose output goes to a private log."""
    assert "saved the providers' reliability report" in printed
    saved = latest(store)
    assert saved["providers"] is not None and saved["providers"].intact
    assert all(saved[kind] is None for kind in BACKGROUND)
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        log, thread = supervise_in_background(store.url, root, port=server.getsockname()[1])
        thread.join(timeout=600)
    assert not thread.is_alive()
    text = log.read_text(encoding="utf-8")
    assert text.count("# exit 0 in") == len(BACKGROUND), text
    assert log.stat().st_mode & 0o777 == 0o600
    saved = latest(store)
    assert all(s is not None and s.intact for s in saved.values())
    with store.reader() as conn:
        assert verify(conn).ok


def _no_secret_in_the_logs(root: Path, printed: str, logs: str) -> None:
    """The keys and passwords the demo hands out (on the console, once) and its session
    secret never reach a log record."""
    tokens = re.findall(r"sc_[0-9a-f]{12}_[A-Za-z0-9_-]{20,}", printed)
    passwords = re.findall(r"[a-z-]+-demo-2026", printed)
    assert tokens and passwords, "the demo prints its keys and logins"
    secrets = [*tokens, *(t.split("_", 2)[2] for t in tokens), *passwords]  # sc_<id>_<secret>
    secrets.append((root / "session.secret").read_text().strip())
    assert logs.strip(), "the run logged something to look at"
    leaked = [s for s in secrets if s in logs]
    assert not leaked, f"secrets in the logs: {leaked}"
