"""Expand: a table remembering validators of HTTP responses, for conditional requests."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_http_cache"
down_revision: str | None = "0001_initial"
branch_labels: tuple[str, ...] | None = None
depends_on: tuple[str, ...] | None = None


def upgrade() -> None:
    """Add `http_cache`; nothing earlier reads or writes it, so older releases are unaffected."""
    op.create_table(
        "http_cache",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("etag", sa.Text()),
        sa.Column("body_hash", sa.String()),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_http_cache"),
    )


def downgrade() -> None:
    """Drop `http_cache`."""
    op.drop_table("http_cache")
