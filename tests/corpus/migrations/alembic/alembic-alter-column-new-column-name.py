"""rename starred_at

Revision ID: 0a3c4b0e9d3c
Revises: f02b3fad8c2b
"""
import sqlalchemy as sa
from alembic import op

revision = "0a3c4b0e9d3c"
down_revision = "f02b3fad8c2b"
branch_labels = None
depends_on = None


def upgrade():
    op.alter_column("user_stars", "starred_at", new_column_name="favorited_at")


def downgrade():
    op.alter_column("user_stars", "favorited_at", new_column_name="starred_at")
