"""The public lookup's index (lookup/).

* ``search_index``: one row per subject with a registered name: the name, its
  simplified form, its pinyin and pinyin initials;
* SQLite: ``search_fts``, an FTS5 table with the trigram tokenizer over the
  simplified form, the pinyin and the initials, kept current by triggers on
  ``search_index`` (it stores no copy of the text: ``content=search_index``),
  and ``search_fts_vocab`` over it (how many names hold each trigram);
* PostgreSQL: the ``pg_trgm`` extension (trusted: the database's owner may
  create it) and GIN trigram indexes on the simplified form and the pinyin.

The index is derived: ``socialcredit search-index rebuild`` fills it from the
ledger (run after upgrading a store that has records).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

SEQ = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

_SQLITE = (
    "CREATE VIRTUAL TABLE search_fts USING fts5(simple, pinyin, initials, "
    "content='search_index', content_rowid='id', tokenize='trigram')",
    # how many names hold each trigram: the query asks for the rarer ones
    "CREATE VIRTUAL TABLE search_fts_vocab USING fts5vocab(search_fts, row)",
    "CREATE TRIGGER search_fts_insert AFTER INSERT ON search_index BEGIN "
    "INSERT INTO search_fts(rowid, simple, pinyin, initials) "
    "VALUES (new.id, new.simple, new.pinyin, new.initials); END",
    "CREATE TRIGGER search_fts_delete AFTER DELETE ON search_index BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, simple, pinyin, initials) "
    "VALUES ('delete', old.id, old.simple, old.pinyin, old.initials); END",
    "CREATE TRIGGER search_fts_update AFTER UPDATE ON search_index BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, simple, pinyin, initials) "
    "VALUES ('delete', old.id, old.simple, old.pinyin, old.initials); "
    "INSERT INTO search_fts(rowid, simple, pinyin, initials) "
    "VALUES (new.id, new.simple, new.pinyin, new.initials); END",
)

# serialises concurrent creations of the extension (a database-wide object)
_EXTENSION_LOCK = 7_301_010


def upgrade() -> None:
    op.create_table(
        "search_index",
        sa.Column("id", SEQ, primary_key=True, autoincrement=True),
        sa.Column("subject", sa.String(18), nullable=False, unique=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("simple", sa.String(200), nullable=False),
        sa.Column("pinyin", sa.String(1000), nullable=False),
        sa.Column("initials", sa.String(200), nullable=False),
    )
    for column in ("simple", "pinyin", "initials"):
        op.create_index(f"ix_search_index_{column}", "search_index", [column])
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for statement in _SQLITE:
            op.execute(statement)
    elif bind.dialect.name == "postgresql":
        op.execute(sa.text(f"SELECT pg_advisory_xact_lock({_EXTENSION_LOCK})"))
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public")
        schema = bind.execute(
            sa.text(
                "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n "
                "ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'"
            )
        ).scalar_one()
        for column in ("simple", "pinyin"):
            op.execute(
                f"CREATE INDEX ix_search_trgm_{column} ON search_index "
                f'USING gin ({column} "{schema}".gin_trgm_ops)'
            )


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for trigger in ("search_fts_insert", "search_fts_delete", "search_fts_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS search_fts_vocab")
        op.execute("DROP TABLE IF EXISTS search_fts")
    elif bind.dialect.name == "postgresql":
        for column in ("simple", "pinyin"):
            op.execute(f"DROP INDEX IF EXISTS ix_search_trgm_{column}")
    for column in ("simple", "pinyin", "initials"):
        op.drop_index(f"ix_search_index_{column}", table_name="search_index")
    op.drop_table("search_index")
