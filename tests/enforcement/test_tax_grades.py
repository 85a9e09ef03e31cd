"""Published tax credit grades: an A grade is rewarded until the next grade; a D grade
ends it and brings the published D-grade measures, with notice (SAT Announcement
2014 No. 40 art. 32)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from socialcredit.clock import parse_instant
from socialcredit.enforcement.service import Enforcement
from socialcredit.notices.model import notices_for
from socialcredit.store.database import Store

from support.factories import ingest_on, org_id

FIRM = org_id(code="MA3C4D5T1")


def grade(published: str, year: int, value: str) -> dict[str, Any]:
    return {
        "provider": "sat.national",
        "ref": f"grade-{year}",
        "subject": FIRM,
        "category": "tax.credit_grade",
        "occurred_at": published,
        "attributes": {"year": year, "grade": value},
    }


@pytest.fixture
def service(store: Store) -> Iterator[Enforcement]:
    ingest_on(store, "2025-04-16", grade("2025-04-16", 2024, "A"))
    ingest_on(store, "2026-02-20", grade("2026-02-20", 2025, "D"))
    enforcement = Enforcement(store)
    yield enforcement
    enforcement.close()


def test_invoices_go_from_on_demand_to_strictly_limited(service: Enforcement) -> None:
    before = service.check(FIRM, "tax.invoice", parse_instant("2026-01-10"))
    assert before.outcome == "privilege"
    during = service.check(FIRM, "tax.invoice", parse_instant("2026-02-25"))
    assert during.outcome == "allow"  # the A grade ended; the D measures after notice
    now = service.check(FIRM, "tax.invoice")
    assert now.outcome == "restrict"
    assert [m.measure for m in now.measures] == ["tax_d_invoice_limits"]
    assert [e.list for e in now.entries] == ["tax_d_grade"]
    assert service.check(FIRM, "tax.inspection").outcome == "review"
    assert service.check(FIRM, "government.permit").outcome == "allow"  # no green channel


def test_the_taxpayer_is_told_of_both(store: Store, service: Enforcement) -> None:
    with store.reader() as conn:
        found = {(n.kind, n.ref.split(":")[0]): n for n in notices_for(conn, FIRM)}
    assert ("listing_ended", "tax_a_grade") in found
    pending = found[("listing_pending", "tax_d_grade")]
    assert str(pending.effective_on) == "2026-03-02"
    assert {m.measure for m in pending.body.measures} == {
        "tax_d_invoice_limits",
        "tax_d_export_refund_review",
        "tax_d_inspection",
    }
    assert "publishes the next grade" in (pending.body.repair.text if pending.body.repair else "")
