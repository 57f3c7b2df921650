"""The register of organisations: canonical names, kinds, org-id identifiers and aliases

Revision ID: 0004
Revises: 0003
Created: 2026-12-02 21:15:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "register_entries",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("identifier", sa.String(length=100), nullable=True),
        sa.Column("aliases", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                  nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register_entries")),
        sa.UniqueConstraint("identifier", name=op.f("uq_register_entries_identifier")),
        sa.UniqueConstraint("name", name=op.f("uq_register_entries_name")),
    )


def downgrade() -> None:
    op.drop_table("register_entries")
