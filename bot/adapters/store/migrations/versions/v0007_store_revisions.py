"""Expand: the store revision, a counter per train that every write a view reads moves."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_store_revisions"
down_revision: str | None = "0006_waivers"
branch_labels: tuple[str, ...] | None = None
depends_on: tuple[str, ...] | None = None


def upgrade() -> None:
    """Add `store_revisions`; a train without a row is at revision 0, and older releases never
    read the table (their writes leave it as it is)."""
    op.create_table(
        "store_revisions",
        sa.Column("train", sa.String(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("train", name="pk_store_revisions"),
    )


def downgrade() -> None:
    """Drop `store_revisions`."""
    op.drop_table("store_revisions")
