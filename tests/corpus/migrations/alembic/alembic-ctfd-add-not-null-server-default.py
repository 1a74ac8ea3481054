"""Add position to Challenges

Revision ID: 48d8250d19bd
Revises: a02c5bf43407
"""
import sqlalchemy as sa
from alembic import op

revision = "48d8250d19bd"
down_revision = "a02c5bf43407"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "challenges",
        sa.Column("position", sa.Integer(), nullable=False, server_default="0"),
    )


def downgrade():
    op.drop_column("challenges", "position")
