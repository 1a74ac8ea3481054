"""connector prune_freq default

Revision ID: 6f1a5c4b3e88
Revises: 5e0f4b3a2d77
"""
import sqlalchemy as sa
from alembic import op

revision = "6f1a5c4b3e88"
down_revision = "5e0f4b3a2d77"
branch_labels = None
depends_on = None


def upgrade():
    op.alter_column(
        "connector",
        "prune_freq",
        existing_type=sa.BigInteger(),
        server_default=sa.text("2592000"),
        existing_nullable=True,
    )


def downgrade():
    op.alter_column(
        "connector",
        "prune_freq",
        existing_type=sa.BigInteger(),
        server_default=sa.text("86400"),
        existing_nullable=True,
    )
