"""Enforcement: list entries, the enforcement index, the decision log, API keys.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "list_entries",
        sa.Column("id", sa.String(300), primary_key=True),
        sa.Column("list", sa.String(80), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("subject", sa.String(18), nullable=False),
        sa.Column("status_basis", sa.Text, nullable=False),
        sa.Column("pending_from", sa.Date, nullable=False),
        sa.Column("effective_from", sa.Date, nullable=False),
        sa.Column("ends_on", sa.Date, nullable=False),
    )
    op.create_index("ix_list_entries_subject", "list_entries", ["subject"])
    op.create_index("ix_list_entries_list", "list_entries", ["list", "effective_from"])
    op.create_table(
        "enforcement_index",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("subject", sa.String(18), nullable=False),
        sa.Column("action", sa.String(80), nullable=False),
        sa.Column("effect", sa.String(12), nullable=False),
        sa.Column("measure", sa.String(80), nullable=False),
        sa.Column("entry", sa.String(300), nullable=False),
        sa.Column("owner", sa.String(18), nullable=False),
        sa.Column("target", sa.String(40), nullable=False),
        sa.Column("valid_from", sa.Date, nullable=False),
        sa.Column("valid_to", sa.Date, nullable=False),
        sa.Column("version", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_enforcement_subject", "enforcement_index", ["subject", "action"])
    op.create_index("ix_enforcement_owner", "enforcement_index", ["owner"])
    op.create_index("ix_enforcement_version", "enforcement_index", ["version"])
    op.create_table(
        "decision_log",
        sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("decided_at", sa.DateTime, nullable=False),
        sa.Column("requester", sa.String(80), nullable=False),
        sa.Column("subject", sa.String(18), nullable=False),
        sa.Column("action", sa.String(80), nullable=False),
        sa.Column("outcome", sa.String(12), nullable=False),
        sa.Column("sampled", sa.Boolean, nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("known_at", sa.DateTime, nullable=False),
        sa.Column("policy_version", sa.String(400), nullable=False),
        sa.Column("reasons", sa.Text, nullable=False),
    )
    op.create_index("ix_decision_log_subject", "decision_log", ["subject", "decided_at"])
    op.create_table(
        "decision_counts",
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("requester", sa.String(80), primary_key=True),
        sa.Column("action", sa.String(80), primary_key=True),
        sa.Column("outcome", sa.String(12), primary_key=True),
        sa.Column("n", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "api_keys",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("secret_hash", sa.String(64), nullable=False),
        sa.Column("scopes", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("revoked_at", sa.DateTime),
    )


def downgrade() -> None:
    for table in (
        "api_keys",
        "decision_counts",
        "decision_log",
        "enforcement_index",
        "list_entries",
    ):
        op.drop_table(table)
