"""Scope from residence and registration records, never from the identifier.

``subjects.jurisdiction`` held the area code of the subject's identifier (for a
person, the place of first household registration); where a subject is now
comes from its ``registry.residence`` or registration records as of the day
asked (socialcredit.engine.scope), so the column is dropped.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("subjects") as batch:
        batch.drop_column("jurisdiction")


def downgrade() -> None:
    # the identifier's area code is not restored: a blank area scopes no one locally
    with op.batch_alter_table("subjects") as batch:
        batch.add_column(sa.Column("jurisdiction", sa.String(6), nullable=False, server_default=""))
