"""The affected-decisions report: refusals that rested on a record later corrected or
withdrawn, grouped by the relying party that asked."""

from __future__ import annotations

from socialcredit.enforcement.service import Enforcement
from socialcredit.remedies.affected import affected_decisions, report
from socialcredit.remedies.objections import accept_objection, answer_objection, file_objection
from socialcredit.services.ingest import ingestor
from socialcredit.store.database import Store

from support.remedies import CASE_NO, DEBTOR, OTHER, OTHER_CASE, ingest, listed_debtor, move, rid


def test_refusals_on_a_withdrawn_or_corrected_record_are_reported_by_relying_party(
    store: Store,
) -> None:
    target = listed_debtor(store)
    other = listed_debtor(store, subject=OTHER)
    service = Enforcement(store)
    assert service.check(DEBTOR, "transport.air.ticket", requester="airline").outcome == "deny"
    assert service.check(DEBTOR, "transport.air.ticket", requester="airline").outcome == "deny"
    assert service.check(DEBTOR, "procurement.bid", requester="procurement").outcome == "deny"
    assert service.check(OTHER, "transport.air.ticket", requester="airline").outcome == "deny"
    service.close()
    assert affected_decisions(store) == {}

    move(store, "2026-03-03")
    case = file_objection(
        ingestor(store), DEBTOR, record=target, grounds="wrong", evidence="x"
    ).case.id
    accept_objection(ingestor(store), case)
    answer_objection(ingestor(store), case, "withdrawn", "reported in error")
    # the other debtor's court corrects the amount on its own: still a correction
    ingest(
        store,
        {
            "provider": "spc.national",
            "ref": f"{OTHER_CASE}-fix",
            "subject": OTHER,
            "category": "judicial.judgment_default",
            "occurred_at": "2026-01-05",
            "supersedes": OTHER_CASE,
            "attributes": {"case_no": OTHER_CASE, "amount": 1e3, "ground": "evades_enforcement"},
        },
    )
    # decisions made after the correction are not affected
    service = Enforcement(store)
    later = service.check(OTHER, "transport.air.ticket", requester="airline")
    assert later.outcome == "deny" and later.records == (rid(f"{OTHER_CASE}-fix"),)
    service.close()

    found = affected_decisions(store)
    assert sorted(found) == ["airline", "procurement"]
    airline = found["airline"]
    assert [(a.subject, a.record, a.how) for a in airline] == [
        (DEBTOR, target, "withdrawn"),
        (DEBTOR, target, "withdrawn"),
        (OTHER, other, "corrected"),
    ]
    assert airline[0].case == case and airline[0].replaced_by == rid(f"{case}/withdrawal")
    assert airline[2].case is None and airline[2].replaced_by == rid(f"{OTHER_CASE}-fix")
    [bid] = found["procurement"]
    assert (bid.action, bid.outcome, bid.record) == ("procurement.bid", "deny", rid(CASE_NO))

    body = report(store)
    assert body["total"] == 4 and set(body["requesters"]) == {"airline", "procurement"}
    assert report(store, OTHER)["total"] == 1
