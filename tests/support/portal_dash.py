"""Helpers for the dashboards tests: a store with known figures, and a portal login."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from socialcredit.access.users import create_user
from socialcredit.enforcement.service import Enforcement
from socialcredit.remedies.objections import (
    accept_objection,
    answer_objection,
    decide_objection,
    file_objection,
)
from socialcredit.services.ingest import ingestor
from socialcredit.store.database import Store

from support.factories import ingest_on
from support.remedies import CASE_NO, DEBTOR, FIRM, OTHER, dishonest, listed_debtor, move

FLIGHT = "transport.air.ticket"
BID = "procurement.bid"
COURT_ENTRY = f"court_defaulters:{DEBTOR}:{CASE_NO}"
FIRM_ENTRY = f"serious_illegal_dishonest_enterprises:{FIRM}:D-1"


def listings(store: Store) -> None:
    """The debtor on the court list from 2026-02-04 (ground of 2026-01-05, 30 days'
    notice); the firm on the SAMR list from 2024-06-11 (ground of 2024-06-01, 10 days)."""
    listed_debtor(store)
    ingest_on(store, "2024-06-01", dishonest("D-1", "2024-06-01"))


def checks(store: Store) -> None:
    """Five checks on 2026-03-02: the airline denied twice (the debtor) and allowed once
    (a subject on no list); the bank allowed once on a flight and denied one bid (the
    firm)."""
    service = Enforcement(store)
    try:
        for subject, action, requester in (
            (DEBTOR, FLIGHT, "airline"),
            (DEBTOR, FLIGHT, "airline"),
            (OTHER, FLIGHT, "airline"),
            (OTHER, FLIGHT, "bank"),
            (FIRM, BID, "bank"),
        ):
            service.check(subject, action, requester=requester)
    finally:
        service.close()  # writes the counts


def objections(store: Store) -> None:
    """Three objections filed on 2026-03-02 (a decision is due by 2026-04-02): the
    debtor's upheld that day, the other debtor's withdrawn late on 2026-04-10, the
    firm's still open. The clock ends on 2026-04-10."""
    other = listed_debtor(store, subject=OTHER)
    ledger = ingestor(store)
    upheld = file_objection(
        ledger, DEBTOR, entry=COURT_ENTRY, grounds="wrong", evidence="paid"
    ).case.id
    late = file_objection(ledger, OTHER, record=other, grounds="wrong", evidence="paid").case.id
    file_objection(ledger, FIRM, entry=FIRM_ENTRY, grounds="wrong", evidence="receipt")
    for case, outcome in ((upheld, "upheld"), (late, "withdrawn")):
        accept_objection(ledger, case)
        answer_objection(ledger, case, outcome, "checked")  # type: ignore[arg-type]
    decide_objection(ledger, upheld, "the record stands", "reviewer-1")
    move(store, "2026-04-10")
    decide_objection(ingestor(store), late, "withdrawn by the court", "reviewer-1")


def log_in(client: TestClient, store: Store, role: str, account: str = "sv1") -> None:
    """Create an account of ``role`` and log the client in through the login form."""
    create_user(store, account, "Supervisor One", role, "correct horse battery")
    form = client.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert token is not None
    done = client.post(
        "/login",
        data={"account": account, "password": "correct horse battery", "csrf": token[1]},
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
