"""Records without identifiers: accepted with a subject hint where the catalogue allows,
kept unlinked (counted nowhere), refused with a code everywhere else."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from socialcredit.ledger.ingest import Ingestor, IngestResult
from socialcredit.store.database import Store
from socialcredit.store.tables import audit_log, hinted_records, records, subjects

from support.factories import PERSON, judgment_default

HINT = {
    "name": "张伟",
    "birth_date": "1990-05-12",
    "address": "荣成市崖头街道1号",
    "area": "371082",
}


def hinted(ref: str = "(2009)鲁1082执7号", **over: Any) -> dict[str, Any]:
    rec = judgment_default(ref)
    del rec["subject"]
    rec["subject_hint"] = HINT
    rec.update(over)
    return rec


def ingest(store: Store, *rows: dict[str, Any]) -> IngestResult:
    return Ingestor(store).ingest_dicts(rows)


def count(store: Store, table: Any) -> int:
    with store.reader() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar() or 0)


def test_a_hinted_record_is_kept_unlinked_and_counts_nowhere(store: Store) -> None:
    result = ingest(store, hinted())
    assert (result.accepted, result.rejected, result.subjects_created) == (1, 0, 0)
    assert count(store, records) == 0 and count(store, subjects) == 0
    with store.reader() as conn:
        row = conn.execute(select(hinted_records)).one()
        events = conn.execute(select(audit_log.c.event)).scalars().all()
    assert row.status == "unlinked" and row.subject is None
    assert '"name":"张伟"' in row.hint
    assert "record.hinted" in events


def test_a_hinted_record_resubmitted_is_a_duplicate_and_changed_a_conflict(store: Store) -> None:
    ingest(store, hinted())
    again = ingest(store, hinted())
    assert (again.accepted, again.duplicates) == (0, 1)
    changed = ingest(store, hinted(subject_hint={**HINT, "name": "张玮"}))
    assert [e.code for e in changed.errors] == ["conflict"]
    assert count(store, hinted_records) == 1


def test_a_category_not_marked_hinted_refuses_a_hint(store: Store) -> None:
    rec = hinted(category="finance.loan_default", provider="spc.national")
    result = ingest(store, rec)
    assert [e.code for e in result.errors] in (["hint_not_allowed"], ["unauthorised_category"])
    tax = {
        "provider": "spc.national",
        "ref": "r1",
        "category": "judicial.civil_breach",
        "occurred_at": "2025-03-01",
        "subject_hint": HINT,
        "attributes": {},
    }
    result = ingest(store, tax)
    assert [e.code for e in result.errors] == ["hint_not_allowed"]
    assert "does not let it arrive with a hint" in result.errors[0].message
    assert count(store, hinted_records) == 0


def test_no_subject_and_no_hint_is_malformed(store: Store) -> None:
    rec = judgment_default()
    del rec["subject"]
    result = ingest(store, rec)
    assert [e.code for e in result.errors] == ["malformed"]
    assert result.errors[0].message.startswith("subject:")


def test_both_subject_and_hint_are_refused(store: Store) -> None:
    result = ingest(store, judgment_default(subject_hint=HINT))
    assert [e.code for e in result.errors] == ["hint_not_allowed"]


def test_a_hinted_record_cannot_correct_or_withdraw(store: Store) -> None:
    ingest(store, judgment_default())
    result = ingest(store, hinted(ref="x2", supersedes="(2025)鲁1082执1号"))
    assert [e.code for e in result.errors] == ["hint_not_allowed"]
    assert count(store, records) == 1 and PERSON


def test_a_hint_without_a_name_is_malformed(store: Store) -> None:
    result = ingest(store, hinted(subject_hint={"birth_date": "1990-05-12"}))
    assert [e.code for e in result.errors] == ["malformed"]
