"""A check sees a listing another process committed within one poll of the index."""

from __future__ import annotations

import time
from pathlib import Path

from socialcredit.clock import FixedClock
from socialcredit.enforcement.service import Enforcement
from socialcredit.ledger.bootstrap import init_store
from socialcredit.settings import Settings
from socialcredit.store.database import Store

from support.remedies import DEBTOR, listed_debtor

AIR = "transport.air.ticket"


def test_a_listing_committed_elsewhere_is_enforced_within_a_poll(
    tmp_path: Path, clock: FixedClock
) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    store = Store(url, clock=clock)
    init_store(store, Settings(db=url))
    # the same file under another URL: a pool of its own, which in-process notices of
    # commits (matched by URL) do not reach -- as for a server and a separate ingest
    elsewhere = Store(f"sqlite:///{tmp_path}/./store.db", clock=clock)
    service = Enforcement(store)
    try:
        assert service.check(DEBTOR, AIR).outcome == "allow"
        listed_debtor(elsewhere, occurred="2026-01-05")
        deadline = time.monotonic() + 10
        while service.check(DEBTOR, AIR).outcome == "allow" and time.monotonic() < deadline:
            time.sleep(0.01)
        assert service.check(DEBTOR, AIR).outcome == "deny"
    finally:
        service.close()
        elsewhere.close()
        store.close()
