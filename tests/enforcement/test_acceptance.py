"""Issue acceptance: from a court judgment to the airline being told no, and back."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from socialcredit.clock import FixedClock, parse_instant
from socialcredit.enforcement.service import Enforcement
from socialcredit.services.ingest import ingestor
from socialcredit.store.database import Store
from socialcredit.store.tables import audit_log, decision_log

from support.factories import ingest_on, judgment_default, org_id, person_id

DEBTOR = person_id(seq=11)
ENTERPRISE = org_id()
REPRESENTATIVE = person_id(seq=13)


def ingest(store: Store, *rows: dict[str, Any]) -> None:
    result = ingestor(store).ingest_dicts(rows)
    assert result.rejected == 0, result.errors


def fulfilled(ref: str, subject: str, day: str) -> dict[str, Any]:
    return {
        "provider": "spc.national",
        "ref": f"{ref}-done",
        "subject": subject,
        "category": "judicial.judgment_fulfilled",
        "occurred_at": day,
        "attributes": {"case_no": ref, "how": "paid_in_full"},
        "legal_basis": "Fa Shi [2013] No. 17 art. 10",
    }


def at(day: str) -> Any:
    return parse_instant(day)


def test_defaulter_is_refused_a_flight_after_notice_and_allowed_after_paying(
    store: Store, enforcement: Enforcement
) -> None:
    clock = store.clock
    assert isinstance(clock, FixedClock)
    ingest(
        store,
        judgment_default(
            ref="(2026)鲁1082执7号",
            subject=DEBTOR,
            occurred_at="2026-03-01",
            attributes={
                "case_no": "(2026)鲁1082执7号",
                "amount": 8e4,
                "ground": "evades_enforcement",
            },
        ),
    )
    # during the 30-day notice period: allowed, and the listing is pending
    during = enforcement.check(DEBTOR, "transport.air.ticket", at("2026-03-10"))
    assert during.outcome == "allow"
    assert enforcement.outcome(DEBTOR, "transport.air.ticket", at("2026-03-10")) == "allow"

    after = enforcement.check(DEBTOR, "transport.air.ticket", at("2026-04-01"))
    assert after.outcome == "deny"
    assert any(e.list == "court_defaulters" for e in after.entries)
    assert any(m.measure == "hc_1_travel_class" for m in after.measures)
    assert any("Fa Shi [2015] No. 17" in b for b in after.legal_bases)
    assert after.records and after.records[0] == after.entries[0].ground_record
    assert enforcement.outcome(DEBTOR, "transport.air.ticket", at("2026-04-01")) == "deny"

    clock.set("2026-04-05T02:00:00")
    ingest(store, fulfilled("(2026)鲁1082执7号", DEBTOR, "2026-04-05"))
    enforcement.cache.refresh(force=True)
    again = enforcement.check(DEBTOR, "transport.air.ticket", at("2026-04-06"))
    assert again.outcome == "allow"
    assert enforcement.outcome(DEBTOR, "transport.air.ticket", at("2026-04-06")) == "allow"
    # what we decided on 1 April with what we knew then is still a refusal
    then = enforcement.check(
        DEBTOR, "transport.air.ticket", at("2026-04-01"), known_at=at("2026-04-01")
    )
    assert then.outcome == "deny"


def test_listed_enterprise_and_its_legal_representative(
    store: Store, enforcement: Enforcement
) -> None:
    ingest_on(
        store,
        "2026-01-05",
        {
            "provider": "samr.national",
            "ref": "lr-1",
            "subject": ENTERPRISE,
            "category": "registry.legal_representative",
            "occurred_at": "2019-05-01",
            "attributes": {"person": REPRESENTATIVE},
        },
        judgment_default(
            ref="(2026)鲁1082执9号",
            subject=ENTERPRISE,
            occurred_at="2026-01-05",
            attributes={
                "case_no": "(2026)鲁1082执9号",
                "amount": 2e6,
                "ground": "able_but_refuses",
            },
        ),
    )
    bid = enforcement.check(ENTERPRISE, "procurement.bid", at("2026-03-01"))
    assert bid.outcome == "deny"
    flight = enforcement.check(REPRESENTATIVE, "transport.air.ticket", at("2026-03-01"))
    assert flight.outcome == "deny"
    assert {m.target for m in flight.measures} == {"legal_representative"}
    assert flight.measures[0].via == ENTERPRISE
    # the representative's own bids are not the enterprise's
    assert enforcement.check(REPRESENTATIVE, "procurement.bid", at("2026-03-01")).outcome == (
        "allow"
    )


def test_an_entry_whose_term_has_ended_no_longer_counts(
    store: Store, enforcement: Enforcement
) -> None:
    ingest_on(
        store,
        "2022-01-10",
        judgment_default(
            ref="(2020)鲁1082执3号",
            subject=DEBTOR,
            occurred_at="2022-01-10",
            attributes={
                "case_no": "(2020)鲁1082执3号",
                "amount": 1e4,
                "ground": "asset_report_violation",
            },
        ),
    )
    # 30 days' notice, then 2 years: in force until 2024-02-09
    assert enforcement.check(DEBTOR, "transport.air.ticket", at("2024-02-08")).outcome == "deny"
    assert enforcement.check(DEBTOR, "transport.air.ticket", at("2024-02-09")).outcome == "allow"


def test_refusals_are_logged_in_the_audit_chain(store: Store, enforcement: Enforcement) -> None:
    ingest_on(
        store,
        "2026-01-01",
        judgment_default(
            ref="c-1",
            subject=DEBTOR,
            occurred_at="2026-01-01",
            attributes={"case_no": "c-1", "ground": "evades_enforcement"},
        ),
    )
    enforcement.check(DEBTOR, "transport.air.ticket", requester="airline")
    enforcement.check(person_id(seq=15), "transport.air.ticket", requester="airline")
    enforcement.close()
    with store.reader() as conn:
        logged = conn.execute(select(decision_log)).all()
        events = [r.event for r in conn.execute(select(audit_log.c.event))]
    refusals = [r for r in logged if r.outcome == "deny"]
    assert len(refusals) == 1 and refusals[0].requester == "airline"
    assert "decision.logged" in events
