"""Notices: notices, their outbox, the grades last notified, the sweep's state.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notices",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("subject", sa.String(18), nullable=False),
        sa.Column("recipient", sa.String(18), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("ref", sa.String(300), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("effective_on", sa.Date, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
    )
    op.create_index("ix_notices_subject", "notices", ["subject", "created_at"])
    op.create_index("ix_notices_recipient", "notices", ["recipient", "created_at"])
    op.create_index("ix_notices_ref", "notices", ["ref"])
    op.create_table(
        "outbox",
        sa.Column("notice", sa.String(64), primary_key=True),
        sa.Column("channel", sa.String(40), primary_key=True),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", sa.DateTime, nullable=False),
        sa.Column("delivered_at", sa.DateTime),
        sa.Column("last_error", sa.Text),
    )
    op.create_index("ix_outbox_due", "outbox", ["delivered_at", "next_attempt_at"])
    op.create_table(
        "notified_grades",
        sa.Column("subject", sa.String(18), primary_key=True),
        sa.Column("scheme", sa.String(80), primary_key=True),
        sa.Column("grade", sa.String(8)),
        sa.Column("run", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "notice_state",
        sa.Column("key", sa.String(40), primary_key=True),
        sa.Column("value", sa.String(200), nullable=False),
    )


def downgrade() -> None:
    for table in ("notice_state", "notified_grades", "outbox", "notices"):
        op.drop_table(table)
