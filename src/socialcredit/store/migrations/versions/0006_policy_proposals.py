"""Two officers to activate a pack: proposals awaiting a second officer's approval.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "policy_proposals",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("packs", sa.Text(), nullable=False),
        sa.Column("note", sa.Text()),
        sa.Column("proposed_by", sa.String(200), nullable=False),
        sa.Column("proposed_key", sa.String(40), nullable=False),
        sa.Column("proposed_at", sa.DateTime(), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("decided_by", sa.String(200)),
        sa.Column("decided_key", sa.String(40)),
        sa.Column("decided_at", sa.DateTime()),
        sa.Column("reasons", sa.Text()),
    )


def downgrade() -> None:
    op.drop_table("policy_proposals")
