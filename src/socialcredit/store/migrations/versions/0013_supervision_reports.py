"""Saved runs of the supervision analytics.

* ``supervision_reports``: per analytic (``judges``, ``officials``, ``jurisdictions``,
  ``providers``) each saved run: as of when the ledger was read, when it was computed,
  its parameters, the report's JSON, the chart's SVG and the audit entry that covers
  them. Information for supervisors' pages; nothing that decides reads it.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-14
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "supervision_reports",
        sa.Column("id", sa.String(48), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("known_at", sa.DateTime(), nullable=False),
        sa.Column("computed_at", sa.DateTime(), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column("parameters", sa.Text(), nullable=False),
        sa.Column("report", sa.Text(), nullable=False),
        sa.Column("svg", sa.Text(), nullable=False),
        sa.Column("audit_seq", sa.BigInteger(), nullable=False),
    )
    op.create_index("ix_supervision_reports_kind", "supervision_reports", ["kind", "computed_at"])


def downgrade() -> None:
    op.drop_table("supervision_reports")
