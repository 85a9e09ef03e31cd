"""Each assessment keeps the subject's area on the day it was evaluated.

``assessments.area``: the GB/T 2260 code of the subject's residence or registration
(from registry records, never from an identifier's digits; NULL when no record places
it), so that grades can be counted per area. Filled by the next evaluation run.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("assessments") as batch:
        batch.add_column(sa.Column("area", sa.String(12), nullable=True))
    op.create_index("ix_assessments_scheme_area", "assessments", ["scheme", "area"])


def downgrade() -> None:
    op.drop_index("ix_assessments_scheme_area", table_name="assessments")
    with op.batch_alter_table("assessments") as batch:
        batch.drop_column("area")
