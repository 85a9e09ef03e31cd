"""The audit chain detects any change to an entry or to a record it covers."""

from __future__ import annotations

from sqlalchemy import delete, select, text, update

from socialcredit.ledger.ingest import Ingestor
from socialcredit.store.database import Store
from socialcredit.store.tables import audit_log, records
from socialcredit.store.verify import verify

from support.factories import judgment_default


def _fill(store: Store) -> None:
    Ingestor(store).ingest_dicts(judgment_default(ref=f"r{i}") for i in range(5))


def test_intact_chain_verifies(store: Store) -> None:
    _fill(store)
    with store.reader() as conn:
        result = verify(conn)
    assert result.ok and result.records == 5 and result.entries > 5


def test_changing_one_byte_of_a_record_breaks_the_chain(store: Store) -> None:
    _fill(store)
    with store.writer() as conn:
        attrs = conn.execute(select(records.c.attributes).where(records.c.seq == 3)).scalar_one()
        conn.execute(
            update(records)
            .where(records.c.seq == 3)
            .values(attributes=attrs.replace("50000", "50001"))
        )
    with store.reader() as conn:
        result = verify(conn)
    assert not result.ok
    assert "record 3" in (result.reason or "") and "altered" in (result.reason or "")


def test_changing_one_byte_of_an_entry_breaks_the_chain(store: Store) -> None:
    _fill(store)
    with store.writer() as conn:
        last = conn.execute(select(audit_log).order_by(audit_log.c.seq.desc()).limit(1)).one()
        conn.execute(
            update(audit_log).where(audit_log.c.seq == last.seq - 2).values(ref="x" + last.ref[1:])
        )
    with store.reader() as conn:
        result = verify(conn)
    assert not result.ok and result.broken_at == last.seq - 2
    assert result.reason == "entry hash does not match"


def test_deleting_a_record_or_an_entry_is_detected(store: Store) -> None:
    _fill(store)
    with store.writer() as conn:
        conn.execute(delete(records).where(records.c.seq == 5))
    with store.reader() as conn:
        assert "missing" in (verify(conn).reason or "")
    with store.writer() as conn:
        conn.execute(delete(audit_log).where(audit_log.c.seq == 2))
    with store.reader() as conn:
        result = verify(conn)
    assert not result.ok and result.broken_at == 2


def test_rewriting_a_record_and_its_hash_together_is_still_detected(store: Store) -> None:
    _fill(store)
    with store.writer() as conn:
        conn.execute(text("UPDATE records SET content_hash = :h WHERE seq = 1"), {"h": "0" * 64})
    with store.reader() as conn:
        assert not verify(conn).ok


def test_every_write_is_in_the_chain(store: Store) -> None:
    _fill(store)
    with store.reader() as conn:
        events = {r.event for r in conn.execute(select(audit_log.c.event))}
    assert {"pack.loaded", "category.defined", "provider.registered", "record.appended"} <= events
