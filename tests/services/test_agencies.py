"""Agencies read a subject's report only under a grant in force, and every read is logged."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from socialcredit.errors import NotFound
from socialcredit.services.agencies import (
    InvalidGrant,
    NotAuthorised,
    grant,
    grants_of,
    grants_to,
    read_report,
    reads_by,
    reads_of,
    withdraw,
)
from socialcredit.store.database import Store
from socialcredit.store.tables import audit_log

from support.remedies import DEBTOR, OTHER, listed_debtor, move

TODAY = dt.date(2026, 3, 2)
PURPOSE = "mortgage application 2026-17"


def test_a_grant_in_force_lets_the_agency_read_and_the_read_is_logged(store: Store) -> None:
    listed_debtor(store)
    made = grant(store, DEBTOR, "bank.one", PURPOSE, TODAY + dt.timedelta(days=30))
    assert made.in_force(TODAY)
    report = read_report(store, "bank.one", DEBTOR, PURPOSE)
    assert report["subject"] == DEBTOR
    assert any(e["list"] == "court_defaulters" for e in report["entries"])
    [read] = reads_of(store, DEBTOR)
    assert (read.agency, read.grant_id, read.purpose) == ("bank.one", made.id, PURPOSE)
    assert reads_by(store, "bank.one") == [read]
    assert [g.id for g in grants_of(store, DEBTOR)] == [made.id]
    assert [g.id for g in grants_to(store, "bank.one")] == [made.id]
    with store.reader() as conn:
        events = [r.event for r in conn.execute(select(audit_log.c.event))]
    assert {"agency.granted", "agency.read"} <= set(events)


def test_an_expired_grant_reads_nothing(store: Store) -> None:
    listed_debtor(store)
    grant(store, DEBTOR, "bank.one", PURPOSE, TODAY + dt.timedelta(days=3))
    move(store, "2026-03-05")  # the last day: still in force
    read_report(store, "bank.one", DEBTOR, PURPOSE)
    move(store, "2026-03-06")
    with pytest.raises(NotAuthorised) as refused:
        read_report(store, "bank.one", DEBTOR, PURPOSE)
    assert refused.value.status == 403
    assert grants_to(store, "bank.one") == []
    assert len(reads_of(store, DEBTOR)) == 1


def test_a_withdrawn_grant_reads_nothing(store: Store) -> None:
    made = grant(store, DEBTOR, "bank.one", PURPOSE, TODAY + dt.timedelta(days=30))
    gone = withdraw(store, DEBTOR, made.id)
    assert gone.withdrawn_at is not None and not gone.in_force(TODAY)
    with pytest.raises(NotAuthorised):
        read_report(store, "bank.one", DEBTOR, PURPOSE)
    with pytest.raises(NotFound):  # withdrawn once
        withdraw(store, DEBTOR, made.id)
    assert reads_of(store, DEBTOR) == []


def test_only_the_subject_withdraws_its_own_grant(store: Store) -> None:
    made = grant(store, DEBTOR, "bank.one", PURPOSE, TODAY + dt.timedelta(days=30))
    with pytest.raises(NotFound):
        withdraw(store, OTHER, made.id)
    with pytest.raises(NotFound):
        withdraw(store, DEBTOR, "G-none")
    assert grants_of(store, DEBTOR)[0].withdrawn_at is None


def test_another_agency_or_another_purpose_reads_nothing(store: Store) -> None:
    grant(store, DEBTOR, "bank.one", PURPOSE, TODAY + dt.timedelta(days=30))
    with pytest.raises(NotAuthorised):
        read_report(store, "bank.two", DEBTOR, PURPOSE)
    with pytest.raises(NotAuthorised):
        read_report(store, "bank.one", DEBTOR, "marketing")
    with pytest.raises(NotAuthorised):
        read_report(store, "bank.one", OTHER, PURPOSE)
    assert reads_of(store, DEBTOR) == []


@pytest.mark.parametrize(
    ("agency", "purpose", "until", "field"),
    [
        ("bank.one", "", TODAY + dt.timedelta(days=3), "purpose"),
        ("bank.one", "x" * 201, TODAY + dt.timedelta(days=3), "purpose"),
        ("", PURPOSE, TODAY + dt.timedelta(days=3), "agency"),
        ("bank.one", PURPOSE, TODAY, "until"),
        ("bank.one", PURPOSE, TODAY + dt.timedelta(days=367), "until"),
    ],
)
def test_a_grant_needs_an_agency_a_purpose_and_a_day_within_a_year(
    store: Store, agency: str, purpose: str, until: dt.date, field: str
) -> None:
    with pytest.raises(InvalidGrant) as refused:
        grant(store, DEBTOR, agency, purpose, until)
    assert refused.value.field == field and refused.value.code == "invalid_grant"
    assert grants_of(store, DEBTOR) == []
