"""Which parts of a project's forms the lab lead said are completed ("Have you completed this section?")

Revision ID: 0009
Revises: 0008
Created: 2026-12-03 06:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.add_column(sa.Column("completed", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()),
                                                                         "postgresql"), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.drop_column("completed")
