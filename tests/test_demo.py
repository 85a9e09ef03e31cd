"""`make demo` on a small city: notices reach consented addresses through a local SMTP
sink, the SMS and post hand-over files and the platform mailbox, none stays pending and
none arrives after its listing took effect."""

from __future__ import annotations

import json
import mailbox
from pathlib import Path

import pytest
from sqlalchemy import func, select

from socialcredit.demo import main
from socialcredit.safeguards.audit import audit_safeguards, undelivered_notices
from socialcredit.store.database import Store
from socialcredit.store.tables import outbox


@pytest.mark.slow
def test_the_demo_delivers_every_notice_to_real_addresses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # as `make demo` runs it: --dir relative to where it runs
    root = tmp_path / "demo"
    args = ["--dir", "demo", "--persons", "1000", "--enterprises", "100", "--years", "1"]
    assert main(args) == 0
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
    finally:
        store.close()
    messages = list(mailbox.mbox(str(root / "mail.mbox")))
    assert len(messages) == by_channel["smtp"][0]
    # addresses the subjects gave (reserved example domains), never made from identifiers
    assert all(str(m["To"]).endswith(".example") for m in messages)
    texts = [json.loads(line) for line in (root / "sms.jsonl").read_text().splitlines()]
    assert texts and all(t["to"].isdigit() and len(t["to"]) == 11 for t in texts)
