"""The portal's accounts and credit service agencies.

* ``users``: portal logins, each with one role (docs/portal.md) and an argon2
  password hash; a subject's login names the subject it acts for, an agency's
  login the agency;
* ``agency_grants``: a subject's authorisation for a licensed credit service
  agency to read its report, for a stated purpose until a day;
* ``agency_reads``: every read an agency made of a report, shown on the
  subject's own page;
* ``public_refs``: the opaque reference by which public pages link to a person
  (a resident identity number never appears in a public page or its links).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.String(80), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(40), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("subject", sa.String(18)),
        sa.Column("agency", sa.String(80)),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("disabled_at", sa.DateTime()),
    )
    op.create_table(
        "agency_grants",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("subject", sa.String(18), nullable=False),
        sa.Column("agency", sa.String(80), nullable=False),
        sa.Column("purpose", sa.String(200), nullable=False),
        sa.Column("granted_at", sa.DateTime(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime()),
    )
    op.create_index("ix_agency_grants_subject", "agency_grants", ["subject", "agency"])
    op.create_table(
        "agency_reads",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("grant_id", sa.String(40), nullable=False),
        sa.Column("subject", sa.String(18), nullable=False),
        sa.Column("agency", sa.String(80), nullable=False),
        sa.Column("purpose", sa.String(200), nullable=False),
        sa.Column("read_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_agency_reads_subject", "agency_reads", ["subject", "read_at"])
    op.create_table(
        "public_refs",
        sa.Column("ref", sa.String(20), primary_key=True),
        sa.Column("subject", sa.String(18), nullable=False, unique=True),
    )


def downgrade() -> None:
    op.drop_table("public_refs")
    op.drop_index("ix_agency_reads_subject", table_name="agency_reads")
    op.drop_table("agency_reads")
    op.drop_index("ix_agency_grants_subject", table_name="agency_grants")
    op.drop_table("agency_grants")
    op.drop_table("users")
