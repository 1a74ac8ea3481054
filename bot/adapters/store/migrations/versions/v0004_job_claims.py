"""Expand: run claims, so a scheduled job runs once per fire time across `serve` replicas."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_job_claims"
down_revision: str | None = "0003_draft_messages"
branch_labels: tuple[str, ...] | None = None
depends_on: tuple[str, ...] | None = None

TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Add `job_claims`; nothing earlier reads or writes it, so older releases are unaffected."""
    op.create_table(
        "job_claims",
        sa.Column("job", sa.String(), nullable=False),
        sa.Column("fire_time", TIME, nullable=False),
        sa.Column("holder", sa.String(), nullable=False),
        sa.Column("claimed_at", TIME, nullable=False),
        sa.Column("lease_until", TIME, nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("finished_at", TIME),
        sa.Column("outcome", sa.String()),
        sa.PrimaryKeyConstraint("job", "fire_time", name="pk_job_claims"),
    )


def downgrade() -> None:
    """Drop `job_claims`."""
    op.drop_table("job_claims")
