"""PostgreSQL: the ledger partitioned by the month of ``recorded_at`` (store/partitions.py).

* ``records`` becomes a partitioned table (RANGE on ``recorded_at``), keyed on
  (seq, recorded_at), with a partition for every month that holds records, the
  current month and ``AHEAD`` more, and a default partition; every record moves
  over, in this transaction.
* ``record_keys`` (id, seq), an ordinary table, keeps a record's identity
  (provider and reference, through ``id``) and its ``seq`` unique across the
  partitions: a statement trigger on ``records`` fills it from each INSERT or
  COPY.
* Indexes on the partitioned table, made on every partition: (subject, seq),
  category, supersedes, id, and a BRIN index on ``recorded_at`` (appended in
  order, so a few pages answer a range of transaction times).

SQLite: nothing changes.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-21
"""

import datetime as dt

from alembic import op

from socialcredit.store.partitions import AHEAD, DEFAULT, ensure_months, month_of

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

_COLUMNS = (
    "seq, id, provider, ref, subject, category, occurred_at, reported_at, recorded_at, "
    "attributes, legal_basis, supersedes, withdrawn, content_hash"
)

_TABLE = """
CREATE TABLE {name} (
    seq BIGINT NOT NULL,
    id VARCHAR(32) NOT NULL,
    provider VARCHAR(80) NOT NULL,
    ref VARCHAR(200) NOT NULL,
    subject VARCHAR(18) NOT NULL,
    category VARCHAR(80) NOT NULL,
    occurred_at DATE NOT NULL,
    reported_at DATE,
    recorded_at TIMESTAMP WITHOUT TIME ZONE NOT NULL,
    attributes TEXT NOT NULL,
    legal_basis TEXT,
    supersedes VARCHAR(32),
    withdrawn BOOLEAN NOT NULL,
    content_hash VARCHAR(64) NOT NULL{tail}
){partitioned}
"""

_INDEXES = (
    "CREATE INDEX ix_records_subject ON records (subject, seq)",
    "CREATE INDEX ix_records_category ON records (category)",
    "CREATE INDEX ix_records_supersedes ON records (supersedes)",
    "CREATE INDEX ix_records_id ON records (id)",
    "CREATE INDEX ix_records_recorded ON records USING brin (recorded_at)",
)

_KEYS_TRIGGER = (
    # search_path FROM CURRENT: the function finds record_keys in the schema it was
    # made in, whatever the path of the session appending
    "CREATE FUNCTION record_keys_append() RETURNS trigger LANGUAGE plpgsql "
    "SET search_path FROM CURRENT AS $$ BEGIN "
    "INSERT INTO record_keys (id, seq) SELECT id, seq FROM appended; RETURN NULL; END $$",
    "CREATE TRIGGER records_keys AFTER INSERT ON records REFERENCING NEW TABLE AS appended "
    "FOR EACH STATEMENT EXECUTE FUNCTION record_keys_append()",
)


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    op.execute(
        _TABLE.format(
            name="records_partitioned",
            tail=",\n    PRIMARY KEY (seq, recorded_at)",
            partitioned=" PARTITION BY RANGE (recorded_at)",
        )
    )
    op.execute("ALTER TABLE records RENAME TO records_0015")
    op.execute("ALTER TABLE records_partitioned RENAME TO records")
    op.execute("ALTER INDEX records_partitioned_pkey RENAME TO records_pkey_0016")
    op.execute(f"CREATE TABLE {DEFAULT} PARTITION OF records DEFAULT")
    months = [
        r[0]
        for r in bind.exec_driver_sql(
            "SELECT DISTINCT date_trunc('month', recorded_at) FROM records_0015"
        )
    ]
    for month in sorted(months):
        ensure_months(bind, month_of(month), 1)
    ensure_months(bind, month_of(dt.datetime.now(dt.UTC)), AHEAD + 1)
    op.execute(f"INSERT INTO records ({_COLUMNS}) SELECT {_COLUMNS} FROM records_0015")
    op.execute("CREATE TABLE record_keys (id VARCHAR(32) PRIMARY KEY, seq BIGINT NOT NULL UNIQUE)")
    op.execute("INSERT INTO record_keys (id, seq) SELECT id, seq FROM records_0015")
    op.execute("DROP TABLE records_0015")
    op.execute("ALTER INDEX records_pkey_0016 RENAME TO records_pkey")
    for statement in (*_INDEXES, *_KEYS_TRIGGER):
        op.execute(statement)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    op.execute(
        _TABLE.format(
            name="records_0015",
            tail=",\n    PRIMARY KEY (seq),\n    UNIQUE (id)",
            partitioned="",
        )
    )
    op.execute(f"INSERT INTO records_0015 ({_COLUMNS}) SELECT {_COLUMNS} FROM records")
    op.execute("DROP TABLE records")  # its partitions, indexes and trigger with it
    op.execute("DROP FUNCTION record_keys_append()")
    op.execute("DROP TABLE record_keys")
    op.execute("ALTER TABLE records_0015 RENAME TO records")
    op.execute("ALTER INDEX records_0015_pkey RENAME TO records_pkey")
    op.execute("ALTER TABLE records RENAME CONSTRAINT records_0015_id_key TO records_id_key")
    op.execute("CREATE INDEX ix_records_subject ON records (subject, seq)")
    op.execute("CREATE INDEX ix_records_category ON records (category)")
    op.execute("CREATE INDEX ix_records_supersedes ON records (supersedes)")
