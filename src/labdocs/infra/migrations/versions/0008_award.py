"""A project's award (amount, date, reference, dates, funder, recipient and locations)

Revision ID: 0008
Revises: 0007
Created: 2026-12-02 21:55:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.add_column(sa.Column("award", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()),
                                                                     "postgresql"), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.drop_column("award")
