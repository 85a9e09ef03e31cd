"""Records without identifiers and the match models that resolve them.

* ``hinted_records``: records reported with a subject hint instead of an identifier,
  counted by no engine, with what entity resolution found (review, linked, rejected).
* ``match_models``: versions of the entity resolution model (splink settings with the
  m and u probabilities estimated on the registry).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-20
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hinted_records",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("provider", sa.String(80), nullable=False),
        sa.Column("ref", sa.String(200), nullable=False),
        sa.Column("category", sa.String(80), nullable=False),
        sa.Column("occurred_at", sa.Date(), nullable=False),
        sa.Column("reported_at", sa.Date()),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("attributes", sa.Text(), nullable=False),
        sa.Column("legal_basis", sa.Text()),
        sa.Column("hint", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("subject", sa.String(18)),
        sa.Column("probability", sa.Float()),
        sa.Column("model", sa.String(48)),
        sa.Column("resolved_at", sa.DateTime()),
        sa.Column("reviewed_by", sa.String(200)),
    )
    op.create_index("ix_hinted_records_status", "hinted_records", ["status"])
    op.create_table(
        "match_models",
        sa.Column("id", sa.String(48), primary_key=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("persons", sa.BigInteger(), nullable=False),
        sa.Column("hinted", sa.BigInteger(), nullable=False),
        sa.Column("model", sa.Text(), nullable=False),
        sa.Column("audit_seq", sa.BigInteger(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("match_models")
    op.drop_table("hinted_records")
