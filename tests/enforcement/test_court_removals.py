"""Court lists end as the provisions say: the defaulter list on performance, a performed
settlement, the creditor's request, no assets found, or suspension, refusal or
termination of enforcement (SPC Fa Shi [2013] No. 17 art. 10); the high-consumption
restriction on performance, a guarantee or the creditor's consent (Fa Shi [2015]
No. 17 art. 9). A ground the court withdraws or corrects away ends the listing at once,
the check allows, and the notice says why."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from socialcredit.enforcement.model import ListEntry
from socialcredit.enforcement.service import Enforcement
from socialcredit.notices.model import notices_for
from socialcredit.store.database import Store

from support.factories import ingest_on, judgment_default, person_id

DEBTOR = person_id(seq=51)
CASE = "(2025)鲁1082执51号"
AIR = "transport.air.ticket"
HOTEL = "hospitality.star_hotel"


def default() -> dict[str, Any]:
    return judgment_default(
        ref=CASE,
        subject=DEBTOR,
        occurred_at="2025-10-01",
        attributes={"case_no": CASE, "amount": 9e4, "ground": "evades_enforcement"},
    )


def restriction() -> dict[str, Any]:
    return {
        "provider": "spc.national",
        "ref": f"{CASE}-restriction",
        "subject": DEBTOR,
        "category": "judicial.consumption_restriction",
        "occurred_at": "2025-10-01",
        "attributes": {"case_no": CASE, "amount": 9e4},
    }


def ended(how: str, day: str = "2026-02-10") -> dict[str, Any]:
    return {
        "provider": "spc.national",
        "ref": f"{CASE}-{how}",
        "subject": DEBTOR,
        "category": "judicial.judgment_fulfilled",
        "occurred_at": day,
        "attributes": {"case_no": CASE, "how": how},
    }


@pytest.fixture
def service(store: Store) -> Iterator[Enforcement]:
    ingest_on(store, "2025-10-01", default(), restriction())
    enforcement = Enforcement(store)
    yield enforcement
    enforcement.close()


def entries(service: Enforcement) -> dict[str, ListEntry]:
    day = service.store.clock.now().date()
    return {e.list: e.on(day) for e in service.cache.entries_of(DEBTOR)}


def test_both_lists_hold_before_anything_ends_them(service: Enforcement) -> None:
    found = entries(service)
    assert found["court_defaulters"].status == "active"
    assert found["high_consumption_restricted"].status == "active"
    assert service.check(DEBTOR, AIR).outcome == "deny"


@pytest.mark.parametrize(
    ("how", "defaulters", "restricted"),
    [
        ("paid_in_full", "ended", "ended"),
        ("settlement_performed", "ended", "ended"),
        ("creditor_consent", "ended", "ended"),
        ("guarantee_provided", "active", "ended"),  # lifts the restriction only (art. 9)
        ("enforcement_suspended", "ended", "active"),  # deletes the listing only (art. 10)
        ("enforcement_refused", "ended", "active"),
        ("enforcement_terminated", "ended", "active"),
        ("no_assets_found", "ended", "active"),
    ],
)
def test_each_way_enforcement_ends_removes_what_the_provisions_say(
    store: Store, service: Enforcement, how: str, defaulters: str, restricted: str
) -> None:
    ingest_on(store, "2026-02-10", ended(how))
    found = entries(service)
    assert found["court_defaulters"].status == defaulters, how
    assert found["high_consumption_restricted"].status == restricted, how
    if "ended" in (defaulters, restricted):
        gone = found["court_defaulters" if defaulters == "ended" else "high_consumption_restricted"]
        assert str(gone.end) == "2026-02-10" and gone.removed_by is not None


def test_a_guarantee_lifts_the_consumption_restriction_but_not_the_listing(
    store: Store, service: Enforcement
) -> None:
    ingest_on(store, "2026-02-10", ended("guarantee_provided"))
    decision = service.check(DEBTOR, AIR)
    assert decision.outcome == "deny"  # the defaulter list still bars flights
    assert {m.list for m in decision.measures} == {"court_defaulters"}


def test_a_withdrawn_ground_ends_the_listing_at_once(store: Store, service: Enforcement) -> None:
    ingest_on(
        store,
        "2026-03-02",
        {
            "provider": "spc.national",
            "ref": f"{CASE}-withdrawn",
            "subject": DEBTOR,
            "category": "judicial.judgment_default",
            "occurred_at": "2025-10-01",
            "supersedes": CASE,
            "withdrawn": True,
        },
    )
    assert "court_defaulters" not in entries(service)
    decision = service.check(DEBTOR, HOTEL)
    # the consumption restriction, a separate order, still stands; the listing does not
    assert {m.list for m in decision.measures} == {"high_consumption_restricted"}
    with store.reader() as conn:
        ended_notice = [
            n
            for n in notices_for(conn, DEBTOR)
            if n.kind == "listing_ended" and n.ref.startswith("court_defaulters:")
        ]
    (notice,) = ended_notice
    assert str(notice.effective_on) == "2026-03-02"
    assert "was withdrawn by spc.national" in notice.body.what
    assert "ends at once" in notice.body.what


def test_a_ground_corrected_away_ends_the_listing_and_the_check_allows(
    store: Store, service: Enforcement
) -> None:
    # the court finds it listed the wrong case: the record is corrected to a civil breach,
    # which lists nobody; the restriction order is withdrawn the same day
    ingest_on(
        store,
        "2026-03-02",
        {
            "provider": "spc.national",
            "ref": f"{CASE}-corrected",
            "subject": DEBTOR,
            "category": "judicial.civil_breach",
            "occurred_at": "2025-10-01",
            "attributes": {"case_no": CASE, "contract": "loan", "amount": 9e4},
            "supersedes": CASE,
        },
        {
            "provider": "spc.national",
            "ref": f"{CASE}-restriction-withdrawn",
            "subject": DEBTOR,
            "category": "judicial.consumption_restriction",
            "occurred_at": "2025-10-01",
            "supersedes": f"{CASE}-restriction",
            "withdrawn": True,
        },
    )
    assert entries(service) == {}
    assert service.check(DEBTOR, AIR).outcome == "allow"
    with store.reader() as conn:
        texts = [n.body.what for n in notices_for(conn, DEBTOR) if n.kind == "listing_ended"]
    assert any("was corrected by spc.national" in t and "ends at once" in t for t in texts)
    assert any("was withdrawn by spc.national" in t for t in texts)


def test_a_suspension_corrected_into_a_guarantee_revives_the_listing_with_notice(
    store: Store,
) -> None:
    # the court reports the default, its suspension of enforcement and the restriction
    # on one day, the listing never takes effect; seven weeks later it corrects the
    # suspension into a guarantee, which does not end a listing (SPC art. 10): the
    # listing applies from then, after its full notice period, not back-dated
    suspended = ended("enforcement_suspended", day="2025-10-05")
    ingest_on(store, "2026-01-10", default(), restriction(), suspended)
    corrected = ended("guarantee_provided", day="2025-10-05") | {"supersedes": suspended["ref"]}
    ingest_on(store, "2026-03-02", corrected)
    service = Enforcement(store)
    try:
        entry = {e.list: e for e in service.cache.entries_of(DEBTOR)}["court_defaulters"]
        assert (str(entry.pending_from), str(entry.effective_from)) == ("2026-03-02", "2026-04-01")
        assert entry.on(service.store.clock.now().date()).status == "pending"
        assert {m.list for m in service.check(DEBTOR, AIR).measures} == set()
    finally:
        service.close()
    with store.reader() as conn:
        kinds = [
            (n.kind, str(n.effective_on))
            for n in notices_for(conn, DEBTOR)
            if n.ref.startswith("court_defaulters:")
        ]
    assert ("listing_pending", "2026-04-01") in kinds
    assert all(kind != "listing_effective" or day >= "2026-04-01" for kind, day in kinds)
