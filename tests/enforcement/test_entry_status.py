"""An entry's status is derived for the moment asked about, never read from storage.

A listing ingested during its notice period used to be stored as ``pending`` and
shown so by every later check, even one that denied because of it.
"""

from __future__ import annotations

from collections.abc import Iterator

import orjson
import pytest
from sqlalchemy import select

from socialcredit.clock import parse_instant
from socialcredit.enforcement.model import ListEntry
from socialcredit.enforcement.service import Enforcement
from socialcredit.store.database import Store
from socialcredit.store.tables import list_entries

from support.factories import ingest_on, judgment_default, person_id

DEBTOR = person_id(seq=41)
AIR = "transport.air.ticket"
CASE = "(2026)鲁1082执41号"


@pytest.fixture
def enforcement(store: Store) -> Iterator[Enforcement]:
    # listed on 5 January 2026 with 30 days' notice: in force from 4 February;
    # the store's clock reads 2 March
    ingest_on(
        store,
        "2026-01-05",
        judgment_default(
            ref=CASE,
            subject=DEBTOR,
            occurred_at="2026-01-05",
            attributes={"case_no": CASE, "ground": "evades_enforcement"},
        ),
    )
    service = Enforcement(store)
    yield service
    service.close()


def test_a_denial_shows_the_entry_in_force(enforcement: Enforcement) -> None:
    now = enforcement.check(DEBTOR, AIR)
    assert now.outcome == "deny"
    assert [e.status for e in now.entries] == ["active"]  # it read "pending" before


def test_the_status_is_that_of_the_day_asked_about(enforcement: Enforcement) -> None:
    during = enforcement.check(DEBTOR, AIR, parse_instant("2026-01-20"))
    assert during.outcome == "allow" and during.entries == ()
    after = enforcement.check(DEBTOR, AIR, parse_instant("2026-02-10"))
    assert after.outcome == "deny" and after.entries[0].status == "active"
    # the exact path (with what was known then) agrees with the index
    known = enforcement.check(
        DEBTOR, AIR, parse_instant("2026-02-10"), known_at=parse_instant("2026-02-10")
    )
    assert known.outcome == "deny" and known.entries[0].status == "active"
    later = enforcement.check(DEBTOR, AIR, parse_instant("2028-03-01"))
    assert later.outcome == "allow"  # the two-year term is over


def test_the_table_stores_dates_not_a_status(store: Store, enforcement: Enforcement) -> None:
    with store.reader() as conn:
        (text,) = conn.execute(select(list_entries.c.status_basis)).one()
    assert "status" not in orjson.loads(text)
    entry = ListEntry.load(text, parse_instant("2026-01-20").date())
    assert entry.status == "pending"
    assert entry.on(entry.effective_from).status == "active"
    assert entry.on(entry.end).status == "ended"
    # a status stored by an older version is ignored
    old = orjson.loads(text) | {"status": "pending"}
    assert ListEntry.load(orjson.dumps(old), entry.effective_from).status == "active"
