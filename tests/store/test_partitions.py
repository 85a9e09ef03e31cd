"""PostgreSQL: the ledger partitioned by month of ``recorded_at`` (store/partitions.py).

Partitions are made ahead; a batch in a month without one makes it; nothing ever
fails for want of a partition (the default one); a record's identity stays unique
across partitions; a 0015 store with records upgrades with every record kept.
"""

from __future__ import annotations

import datetime as dt

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from socialcredit.ledger.ingest import _MONTHS_MADE, Ingestor
from socialcredit.store.database import Store
from socialcredit.store.partitions import (
    AHEAD,
    ensure_months,
    is_partitioned,
    month_of,
    months_present,
    next_month,
)
from socialcredit.store.verify import verify

from support.factories import ingest_on, judgment_default, person_id

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg(store: Store) -> Store:
    if store.dialect != "postgresql":
        pytest.skip("the partitioned ledger is PostgreSQL's")
    return store


def _count(store: Store, table: str) -> int:
    with store.reader() as conn:
        return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def _months(first: dt.date, n: int) -> list[dt.date]:
    out = [first]
    while len(out) < n:
        out.append(next_month(out[-1]))
    return out


def test_init_makes_this_month_and_the_next_ones(pg: Store) -> None:
    with pg.reader() as conn:
        assert is_partitioned(conn)
        present = months_present(conn)
    assert set(_months(month_of(pg.clock.now()), AHEAD + 1)) <= present


def test_records_land_in_their_month_and_a_new_month_is_made_before_its_first_batch(
    pg: Store,
) -> None:
    ingest_on(pg, "2026-03-01", judgment_default(ref="march"))
    far = dt.datetime(2027, 11, 5, 2)  # beyond the months made ahead
    pg.clock.set(far)
    ingest_on(pg, "2027-11-05", judgment_default(ref="november", subject=person_id(seq=7)))
    assert _count(pg, "records_p202603") == 1
    assert _count(pg, "records_p202711") == 1
    assert _count(pg, "records_default") == 0
    with pg.reader() as conn:
        assert set(_months(dt.date(2027, 11, 1), AHEAD + 1)) <= months_present(conn)
        assert verify(conn).ok


def test_a_month_without_a_partition_goes_to_the_default_and_is_carved_out_later(
    pg: Store,
) -> None:
    """Even when no partition was made (another process's ingestor believed it was),
    the append succeeds; making the month later moves its records into it."""
    pg.clock.set(dt.datetime(2028, 6, 10, 2))
    # this process believes the month made (as another process's ingestor might): it is not
    _MONTHS_MADE.add((pg.url, dt.date(2028, 6, 1)))
    result = Ingestor(pg).ingest_dicts(
        [judgment_default(ref=f"j-{i}", subject=person_id(seq=i)) for i in range(3)]
    )
    assert result.accepted == 3
    assert _count(pg, "records_default") == 3
    with pg.writer() as conn:
        assert ensure_months(conn, dt.date(2028, 6, 1), 1) == ["records_p202806"]
    assert _count(pg, "records_default") == 0
    assert _count(pg, "records_p202806") == 3
    assert _count(pg, "records") == _count(pg, "record_keys") == 3
    again = Ingestor(pg).ingest_dicts([judgment_default(ref="j-1", subject=person_id(seq=1))])
    assert again.duplicates == 1 and again.accepted == 0


def test_a_record_identity_is_unique_across_months(pg: Store) -> None:
    """The partitioned table cannot hold a unique index on id alone: record_keys does,
    so the same id in another month's partition is refused by the database itself."""
    ingest_on(pg, "2026-03-01", judgment_default(ref="once"))
    with pytest.raises(IntegrityError), pg.writer() as conn:
        row = conn.execute(text("SELECT * FROM records")).one()._asdict()
        row.update(seq=row["seq"] + 1, recorded_at=dt.datetime(2026, 4, 2, 2))
        columns = ", ".join(row)
        marks = ", ".join(f":{c}" for c in row)
        conn.execute(text(f"INSERT INTO records ({columns}) VALUES ({marks})"), row)
    assert _count(pg, "records") == 1


def test_resubmission_across_months_is_still_a_duplicate_or_a_conflict(pg: Store) -> None:
    ingest_on(pg, "2026-01-10", judgment_default(ref="r-1"))
    again = Ingestor(pg).ingest_dicts([judgment_default(ref="r-1")])
    changed = Ingestor(pg).ingest_dicts([judgment_default(ref="r-1", occurred_at="2025-04-01")])
    assert again.duplicates == 1
    assert changed.codes == {"conflict": 1}
    assert _count(pg, "records") == 1


def test_a_0015_ledger_with_records_upgrades_with_every_record_kept(pg: Store) -> None:
    for day, n in (("2026-01-15", 3), ("2026-02-20", 2), ("2026-03-01", 4)):
        ingest_on(
            pg,
            day,
            *[judgment_default(ref=f"{day}-{i}", subject=person_id(seq=i)) for i in range(n)],
        )
    with pg.engine.begin() as conn:
        command.downgrade(pg._alembic_config(conn), "0015")
    with pg.reader() as conn:
        assert not is_partitioned(conn)
        before = conn.execute(text("SELECT * FROM records ORDER BY seq")).all()
    assert len(before) == 9
    with pg.engine.begin() as conn:
        command.upgrade(pg._alembic_config(conn), "head")
    with pg.reader() as conn:
        assert is_partitioned(conn)
        assert conn.execute(text("SELECT * FROM records ORDER BY seq")).all() == before
        assert verify(conn).ok
    assert (_count(pg, "records_p202601"), _count(pg, "records_p202602")) == (3, 2)
    assert _count(pg, "records_p202603") == 4
    assert _count(pg, "record_keys") == 9
    resent = Ingestor(pg).ingest_dicts(
        [judgment_default(ref="2026-01-15-0", subject=person_id(seq=0))]
    )
    assert resent.duplicates == 1


def test_sqlite_keeps_one_plain_ledger_table(sqlite_store: Store) -> None:
    from socialcredit.store.partitions import make_ahead

    with sqlite_store.writer() as conn:
        assert not is_partitioned(conn)
        assert make_ahead(conn, sqlite_store.clock.now()) == []
