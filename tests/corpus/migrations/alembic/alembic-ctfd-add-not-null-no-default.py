"""Add logic column to Challenges

Revision ID: f73a96c97449
Revises: 62bf576b2cd3
"""
import sqlalchemy as sa
from alembic import op

revision = "f73a96c97449"
down_revision = "62bf576b2cd3"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "challenges", sa.Column("logic", sa.String(length=80), nullable=False)
    )


def downgrade():
    op.drop_column("challenges", "logic")
