"""Alembic's environment: runs on the connection labdocs hands it (labdocs.infra.migrate), never on its own URL."""

from __future__ import annotations

from alembic import context

from labdocs.infra import models  # noqa: F401  (registers the tables on Base.metadata)
from labdocs.infra.db import Base

connection = context.config.attributes["connection"]
# SQLite cannot alter most things in place; batch mode copies the table instead.
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
