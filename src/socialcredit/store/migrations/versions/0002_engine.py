"""Engine state: record links, assessments, evaluation runs, pack versions, activations.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "record_links",
        sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("attr", sa.String(60), primary_key=True),
        sa.Column("subject", sa.String(18), nullable=False),
        sa.Column("category", sa.String(80), nullable=False),
        sa.Column("target", sa.String(18), nullable=False),
    )
    op.create_index("ix_record_links_target", "record_links", ["target"])
    op.create_table(
        "assessments",
        sa.Column("subject", sa.String(18), primary_key=True),
        sa.Column("scheme", sa.String(80), primary_key=True),
        sa.Column("run", sa.BigInteger, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("score_units", sa.BigInteger),
        sa.Column("government_units", sa.BigInteger, nullable=False),
        sa.Column("commercial_units", sa.BigInteger, nullable=False),
        sa.Column("social_units", sa.BigInteger, nullable=False),
        sa.Column("judicial_units", sa.BigInteger, nullable=False),
        sa.Column("grade", sa.String(8)),
    )
    op.create_index("ix_assessments_scheme_grade", "assessments", ["scheme", "grade"])
    op.create_table(
        "evaluation_runs",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("engine", sa.String(20), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("known_at", sa.DateTime, nullable=False),
        sa.Column("policy_version", sa.String(400), nullable=False),
        sa.Column("policy_digest", sa.String(64), nullable=False),
        sa.Column("subjects", sa.BigInteger, nullable=False),
        sa.Column("started_at", sa.DateTime, nullable=False),
        sa.Column("finished_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "pack_versions",
        sa.Column("digest", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("version", sa.String(40), nullable=False),
        sa.Column("files", sa.Text, nullable=False),
        sa.Column("loaded_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "activations",
        sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("pack", sa.String(80), nullable=False),
        sa.Column("digest", sa.String(64)),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("activated_at", sa.DateTime, nullable=False),
        sa.Column("note", sa.Text),
    )


def downgrade() -> None:
    for table in ("activations", "pack_versions", "evaluation_runs", "assessments", "record_links"):
        op.drop_table(table)
