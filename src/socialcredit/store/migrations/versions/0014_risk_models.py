"""Risk scorecard models.

* ``risk_models``: each trained version of the risk scorecard: its number, its state
  (candidate, active, retired), the cut-off it was trained on, the card itself (JSON),
  its evaluation, the dry run it went through before activation, and the audit entries
  of its training and activation.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-15
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "risk_models",
        sa.Column("version", sa.Integer(), primary_key=True),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("trained_at", sa.DateTime(), nullable=False),
        sa.Column("known_at", sa.DateTime(), nullable=False),
        sa.Column("cutoff", sa.Date(), nullable=False),
        sa.Column("parent", sa.Integer(), nullable=True),
        sa.Column("card", sa.Text(), nullable=False),
        sa.Column("evaluation", sa.Text(), nullable=False),
        sa.Column("dry_run", sa.Text(), nullable=True),
        sa.Column("activated_at", sa.DateTime(), nullable=True),
        sa.Column("audit_seq", sa.BigInteger(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("risk_models")
