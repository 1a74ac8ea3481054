"""Expand: a change's waiver (why its violation is accepted, and what said so)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_waivers"
down_revision: str | None = "0005_holders"
branch_labels: tuple[str, ...] | None = None
depends_on: tuple[str, ...] | None = None


def upgrade() -> None:
    """Add nullable waiver columns; NULL (a row of an older release) means not waived."""
    op.add_column("changes", sa.Column("waiver_reason", sa.Text()))
    op.add_column("changes", sa.Column("waiver_by", sa.String()))


def downgrade() -> None:
    """Drop the columns again."""
    op.drop_column("changes", "waiver_by")
    op.drop_column("changes", "waiver_reason")
