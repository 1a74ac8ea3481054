"""Expand: who holds a pending write or a running sync, so another process can tell it is gone."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_holders"
down_revision: str | None = "0004_job_claims"
branch_labels: tuple[str, ...] | None = None
depends_on: tuple[str, ...] | None = None


def upgrade() -> None:
    """Add nullable holder columns; NULL (a row of an older release) means holder unknown."""
    op.add_column("ledger", sa.Column("holder", sa.String()))
    op.add_column("ledger", sa.Column("lease_until", sa.DateTime(timezone=True)))
    op.add_column("sync_runs", sa.Column("holder", sa.String()))


def downgrade() -> None:
    """Drop the columns again."""
    op.drop_column("sync_runs", "holder")
    op.drop_column("ledger", "lease_until")
    op.drop_column("ledger", "holder")
