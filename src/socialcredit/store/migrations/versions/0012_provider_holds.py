"""The supervision of data providers: running statistics per feed and holds.

* ``feed_weeks``: per provider, category and week of arrival, the counts the
  reliability signals are computed from (records appended, resubmitted, refused by
  code, late, corrections, withdrawals, objections decided and upheld, a histogram
  of amounts, records held), kept by the ingestion watcher;
* ``feed_holds``: a feed put on hold when its signals crossed the pack's thresholds,
  until a reviewer releases or rejects what it holds;
* ``quarantine``: the records a hold quarantined, with the reviewer's decision; the
  engines count a record of it only from its release.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-10
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feed_weeks",
        sa.Column("provider", sa.String(80), primary_key=True),
        sa.Column("category", sa.String(80), primary_key=True),
        sa.Column("week", sa.Date(), primary_key=True),
        sa.Column("received", sa.BigInteger(), nullable=False),
        sa.Column("duplicates", sa.BigInteger(), nullable=False),
        sa.Column("refused", sa.BigInteger(), nullable=False),
        sa.Column("refused_codes", sa.Text(), nullable=False),
        sa.Column("late", sa.BigInteger(), nullable=False),
        sa.Column("corrections", sa.BigInteger(), nullable=False),
        sa.Column("withdrawals", sa.BigInteger(), nullable=False),
        sa.Column("objections", sa.BigInteger(), nullable=False),
        sa.Column("upheld", sa.BigInteger(), nullable=False),
        sa.Column("amounts", sa.Text(), nullable=False),
        sa.Column("held", sa.BigInteger(), nullable=False),
    )
    op.create_table(
        "feed_holds",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("provider", sa.String(80), nullable=False),
        sa.Column("category", sa.String(80), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("placed_at", sa.DateTime(), nullable=False),
        sa.Column("signals", sa.Text(), nullable=False),
        sa.Column("ended_at", sa.DateTime()),
        sa.Column("ended_by", sa.String(200)),
        sa.Column("outcome", sa.String(20)),
    )
    op.create_index("ix_feed_holds_feed", "feed_holds", ["provider", "category", "ended_at"])
    op.create_table(
        "quarantine",
        sa.Column("record", sa.String(32), primary_key=True),
        sa.Column("hold", sa.String(40), nullable=False),
        sa.Column("subject", sa.String(18), nullable=False),
        sa.Column("held_at", sa.DateTime(), nullable=False),
        sa.Column("released_at", sa.DateTime()),
        sa.Column("rejected_at", sa.DateTime()),
        sa.Column("decided_by", sa.String(200)),
        sa.Column("reason", sa.Text()),
        sa.Column("withdrawal", sa.String(32)),
    )
    op.create_index("ix_quarantine_hold", "quarantine", ["hold"])


def downgrade() -> None:
    op.drop_table("quarantine")
    op.drop_table("feed_holds")
    op.drop_table("feed_weeks")
