"""Purpose limitation, rate limits and real addresses.

* ``api_keys.rate_per_second``: the key's own request rate limit (null: the
  ``api_rate_limit`` setting);
* ``decision_log.purpose`` and ``decision_log.reference``: the purpose and the
  transaction reference a relying party states with a check;
* ``outbox.address``: where a delivery goes (the recipient's consented e-mail
  address, phone number or postal address; null for the platform mailbox and
  the JSONL feed).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-20
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("api_keys", sa.Column("rate_per_second", sa.Float()))
    op.add_column("decision_log", sa.Column("purpose", sa.String(200)))
    op.add_column("decision_log", sa.Column("reference", sa.String(200)))
    op.add_column("outbox", sa.Column("address", sa.String(400)))


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("address")
    with op.batch_alter_table("decision_log") as batch:
        batch.drop_column("reference")
        batch.drop_column("purpose")
    with op.batch_alter_table("api_keys") as batch:
        batch.drop_column("rate_per_second")
