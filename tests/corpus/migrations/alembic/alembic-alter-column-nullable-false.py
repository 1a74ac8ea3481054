"""recipe view_count not null

Revision ID: 4b1c2a9e7d10
Revises: 3a0b1c2d4e5f
"""
import sqlalchemy as sa
from alembic import op

revision = "4b1c2a9e7d10"
down_revision = "3a0b1c2d4e5f"
branch_labels = None
depends_on = None


def upgrade():
    op.alter_column(
        "recipe",
        "view_count",
        existing_type=sa.BigInteger(),
        nullable=False,
    )


def downgrade():
    op.alter_column(
        "recipe",
        "view_count",
        existing_type=sa.BigInteger(),
        nullable=True,
    )
