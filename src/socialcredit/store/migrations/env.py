"""Alembic environment: run migrations on the connection the store hands over."""

from __future__ import annotations

from alembic import context

from socialcredit.store.tables import include_object, metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only when alembic is run by hand
    raise RuntimeError("run migrations through `socialcredit init`")
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,
    include_object=include_object,
)
with context.begin_transaction():
    context.run_migrations()
