"""Alembic environment for the state store; run by ``comptoir.state.store.upgrade``."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from comptoir.state.tables import metadata

connection: Connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
