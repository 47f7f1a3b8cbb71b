"""Alembic environment: run with the connection overhorizon passes in (no alembic.ini)."""

from __future__ import annotations

from alembic import context

from overhorizon.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations with `overhorizon db upgrade`, which passes a connection")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
