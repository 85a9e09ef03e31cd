"""Ingestion: every error code, idempotency, conflicts, nothing half-written."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from socialcredit.ledger.ingest import Ingestor, IngestResult
from socialcredit.store.database import Store
from socialcredit.store.tables import records, subjects

from support.factories import PERSON, judgment_default, org_id, person_id


def ingest(store: Store, *rows: dict[str, Any], provider: str | None = None) -> IngestResult:
    return Ingestor(store, provider=provider).ingest_dicts(rows)


def count(store: Store, table: Any) -> int:
    with store.reader() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar() or 0)


def codes(result: IngestResult) -> list[str]:
    return [e.code for e in result.errors]


def test_valid_record_is_stored_and_creates_its_subject(store: Store) -> None:
    result = ingest(store, judgment_default())
    assert (result.accepted, result.rejected, result.subjects_created) == (1, 0, 1)
    with store.reader() as conn:
        row = conn.execute(select(records)).one()
        subj = conn.execute(select(subjects)).one()
    assert row.subject == PERSON and row.category == "judicial.judgment_default"
    assert row.recorded_at == store.clock.now()
    assert subj.kind == "person"  # no area from the identifier (docs/engine.md step 4)


def test_resubmitting_the_same_record_is_a_no_op(store: Store) -> None:
    ingest(store, judgment_default())
    again = ingest(store, judgment_default(), judgment_default())
    assert (again.accepted, again.duplicates, again.rejected) == (0, 2, 0)
    assert count(store, records) == 1


def test_same_ref_with_different_content_is_a_conflict(store: Store) -> None:
    ingest(store, judgment_default())
    changed = judgment_default(attributes={"case_no": "(2025)鲁1082执1号", "amount": 1})
    result = ingest(store, changed)
    assert codes(result) == ["conflict"]
    with store.reader() as conn:
        assert conn.execute(select(records.c.attributes)).scalar_one().count("50000") == 1


def test_conflict_within_one_batch(store: Store) -> None:
    changed = judgment_default(occurred_at="2025-03-02")
    result = ingest(store, judgment_default(), changed)
    assert result.accepted == 1 and codes(result) == ["conflict"]


BAD: list[tuple[str, dict[str, Any], str]] = [
    ("malformed", {"occurred_at": "yesterday"}, "occurred_at"),
    ("malformed", {"unexpected": 1}, "unexpected"),
    ("malformed", {"attributes": [1, 2]}, "attributes"),
    ("invalid_identifier", {"subject": "11010519491231002Y"}, "subject"),
    ("unknown_provider", {"provider": "court.999"}, "provider"),
    ("unknown_category", {"category": "judicial.nonexistent"}, "category"),
    ("unauthorised_category", {"category": "tax.arrears"}, "category"),
    ("schema_violation", {"attributes": {"amount": 5}}, "attributes.case_no"),
    ("schema_violation", {"attributes": {"case_no": "x", "amount": -5}}, "attributes.amount"),
    ("schema_violation", {"attributes": {"case_no": "x", "ground": "bad"}}, "attributes.ground"),
    ("schema_violation", {"attributes": {"case_no": "x", "colour": "red"}}, "attributes.colour"),
    ("schema_violation", {"subject": org_id("9")}, "subject"),  # fine: enterprise allowed
    ("future_date", {"occurred_at": "2026-03-03"}, "occurred_at"),
    ("future_date", {"reported_at": "2027-01-01"}, "reported_at"),
    ("schema_violation", {"reported_at": "2025-02-01"}, "reported_at"),
    ("unknown_reference", {"supersedes": "never-sent"}, "supersedes"),
    ("malformed", {"withdrawn": True}, "supersedes"),
]


@pytest.mark.parametrize(("code", "change", "field"), BAD)
def test_each_invalid_record_is_rejected_with_its_code(
    store: Store, code: str, change: dict[str, Any], field: str
) -> None:
    if change.get("subject") == org_id("9"):
        # an enterprise may be a judgment defaulter; a person may not be registered as one
        change = {
            "category": "registry.enterprise",
            "provider": "samr.national",
            "subject": person_id(),
            "attributes": {"name": "x", "sector": "food"},
        }
    result = ingest(store, judgment_default(ref="bad-1", **change))
    assert result.rejected == 1 and codes(result) == [code]
    assert field in result.errors[0].message
    assert count(store, records) == 0
    assert count(store, subjects) == 0, "a rejected record must not create its subject"


def test_rejections_do_not_stop_valid_records_in_the_same_batch(store: Store) -> None:
    result = ingest(
        store,
        judgment_default(ref="a"),
        judgment_default(ref="b", subject="123"),
        judgment_default(ref="c", subject=person_id(seq=5)),
    )
    assert (result.accepted, result.rejected) == (2, 1)
    assert [e.line for e in result.errors] == [2]
    assert count(store, subjects) == 2


def test_correction_and_withdrawal_supersede_an_earlier_record(store: Store) -> None:
    ingest(store, judgment_default(ref="r1"))
    fixed = judgment_default(
        ref="r1-fix", supersedes="r1", attributes={"case_no": "r1", "amount": 40000}
    )
    gone = judgment_default(ref="r1-wd", supersedes="r1-fix", withdrawn=True, attributes={})
    result = ingest(store, fixed, gone)
    assert (result.accepted, result.rejected) == (2, 0)
    with store.reader() as conn:
        rows = conn.execute(select(records).order_by(records.c.seq)).all()
    assert rows[1].supersedes == rows[0].id and rows[2].supersedes == rows[1].id
    assert rows[2].withdrawn is True or rows[2].withdrawn == 1


def test_a_correction_must_be_about_the_same_subject(store: Store) -> None:
    ingest(store, judgment_default(ref="r1"))
    result = ingest(store, judgment_default(ref="r2", supersedes="r1", subject=person_id()))
    assert codes(result) == ["schema_violation"]
    assert "same subject" in result.errors[0].message


def test_provider_option_fills_and_guards_the_provider(store: Store) -> None:
    rec = judgment_default()
    del rec["provider"]
    assert ingest(store, rec, provider="spc.national").accepted == 1
    other = judgment_default(ref="x", provider="sat.national")
    assert codes(ingest(store, other, provider="spc.national")) == ["provider_mismatch"]


def test_attributes_are_stored_in_canonical_form(store: Store) -> None:
    rec = judgment_default(attributes={"ground": "able_but_refuses", "case_no": "k", "amount": 7})
    ingest(store, rec)
    with store.reader() as conn:
        text = conn.execute(select(records.c.attributes)).scalar_one()
    assert text == '{"amount":7.0,"case_no":"k","ground":"able_but_refuses"}'


def test_identifier_attributes_are_validated(store: Store) -> None:
    enterprise = org_id()
    rep = {
        "provider": "samr.national",
        "ref": "lr-1",
        "subject": enterprise,
        "category": "registry.legal_representative",
        "occurred_at": "2020-01-01",
        "attributes": {"person": "123456789012345678"},
    }
    result = ingest(store, rep)
    assert codes(result) == ["schema_violation"]
    assert "attributes.person" in result.errors[0].message
    rep["attributes"] = {"person": person_id()}
    assert ingest(store, rep).accepted == 1


def test_identifier_attributes_are_indexed_as_links(store: Store) -> None:
    from socialcredit.store.tables import record_links

    enterprise, rep = org_id(), person_id()
    ingest(
        store,
        {
            "provider": "samr.national",
            "ref": "lr-9",
            "subject": enterprise,
            "category": "registry.legal_representative",
            "occurred_at": "2020-01-01",
            "attributes": {"person": rep},
        },
    )
    with store.reader() as conn:
        link = conn.execute(select(record_links)).one()
    assert (link.subject, link.attr, link.target) == (enterprise, "person", rep)


def test_subjects_are_created_once_across_batches_and_not_by_a_rolled_back_write(
    store: Store,
) -> None:
    """The ingestor remembers subjects it has seen stored; a transaction that rolled
    back (here a hook fails after the records and subjects were written) must not
    make it skip creating the subject later."""
    failing: list[str] = []

    def hook(_conn: Any, accepted: list[Any], _now: Any) -> None:
        if any(r.ref in failing for r in accepted):
            raise RuntimeError("derived state could not be written")

    feed = Ingestor(store, batch_size=2, hooks=(hook,))
    first, other = person_id(seq=61), person_id(seq=62)
    result = feed.ingest_dicts(
        [judgment_default(ref=f"s-{i}", subject=first if i % 2 else other) for i in range(7)]
    )
    assert (result.accepted, result.subjects_created) == (7, 2)
    newcomer = judgment_default(ref="n-1", subject=person_id(seq=63))
    failing.append("n-1")
    with pytest.raises(RuntimeError):
        feed.ingest_dicts([newcomer])
    assert count(store, subjects) == 2 and count(store, records) == 7
    failing.clear()
    again = feed.ingest_dicts([newcomer])
    assert (again.accepted, again.subjects_created) == (1, 1)
    assert count(store, subjects) == 3
