"""The ledger: providers, categories, packs, subjects, records, audit log.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "providers",
        sa.Column("id", sa.String(80), primary_key=True),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("jurisdiction", sa.String(10), nullable=False),
        sa.Column("registered_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "provider_categories",
        sa.Column("provider", sa.String(80), primary_key=True),
        sa.Column("category", sa.String(80), primary_key=True),
    )
    op.create_table(
        "categories",
        sa.Column("name", sa.String(80), primary_key=True),
        sa.Column("pack", sa.String(80), nullable=False),
        sa.Column("domain", sa.String(20)),
        sa.Column("severity", sa.String(20), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("definition", sa.Text, nullable=False),
    )
    op.create_table(
        "packs",
        sa.Column("name", sa.String(80), primary_key=True),
        sa.Column("version", sa.String(40), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("loaded_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "subjects",
        sa.Column("id", sa.String(18), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("jurisdiction", sa.String(6), nullable=False),
        sa.Column("first_recorded_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_subjects_kind", "subjects", ["kind"])
    op.create_table(
        "records",
        sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("id", sa.String(32), nullable=False, unique=True),
        sa.Column("provider", sa.String(80), nullable=False),
        sa.Column("ref", sa.String(200), nullable=False),
        sa.Column("subject", sa.String(18), nullable=False),
        sa.Column("category", sa.String(80), nullable=False),
        sa.Column("occurred_at", sa.Date, nullable=False),
        sa.Column("reported_at", sa.Date),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
        sa.Column("attributes", sa.Text, nullable=False),
        sa.Column("legal_basis", sa.Text),
        sa.Column("supersedes", sa.String(32)),
        sa.Column("withdrawn", sa.Boolean, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.UniqueConstraint("provider", "ref", name="uq_records_provider_ref"),
    )
    op.create_index("ix_records_subject", "records", ["subject", "seq"])
    op.create_index("ix_records_category", "records", ["category"])
    op.create_index("ix_records_supersedes", "records", ["supersedes"])
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("event", sa.String(60), nullable=False),
        sa.Column("ref", sa.String(200)),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.create_index("ix_audit_event_ref", "audit_log", ["event", "ref"])


def downgrade() -> None:
    for table in (
        "audit_log",
        "records",
        "subjects",
        "packs",
        "categories",
        "provider_categories",
        "providers",
    ):
        op.drop_table(table)
