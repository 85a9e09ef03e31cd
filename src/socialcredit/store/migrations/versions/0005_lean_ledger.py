"""Leaner ledger indexes: ingestion maintains fewer B-trees per record.

* ``records.seq`` and ``audit_log.seq`` become SQLite's rowid (declared
  INTEGER there; PostgreSQL keeps BIGINT);
* ``uq_records_provider_ref`` goes: ``records.id`` is derived from (provider,
  ref) and is unique, so the pair stays unique;
* ``ix_audit_event_ref`` goes: no query reads the audit log by event and ref
  (verification walks it in sequence order).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.drop_index("ix_audit_event_ref", table_name="audit_log")
    with op.batch_alter_table("records", recreate="always" if sqlite else "auto") as batch:
        batch.drop_constraint("uq_records_provider_ref", type_="unique")
        if sqlite:
            batch.alter_column("seq", type_=sa.Integer(), existing_nullable=False)
    if sqlite:
        with op.batch_alter_table("audit_log", recreate="always") as batch:
            batch.alter_column("seq", type_=sa.Integer(), existing_nullable=False)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        with op.batch_alter_table("audit_log", recreate="always") as batch:
            batch.alter_column("seq", type_=sa.BigInteger(), existing_nullable=False)
    with op.batch_alter_table("records", recreate="always" if sqlite else "auto") as batch:
        batch.create_unique_constraint("uq_records_provider_ref", ["provider", "ref"])
        if sqlite:
            batch.alter_column("seq", type_=sa.BigInteger(), existing_nullable=False)
    op.create_index("ix_audit_event_ref", "audit_log", ["event", "ref"])
