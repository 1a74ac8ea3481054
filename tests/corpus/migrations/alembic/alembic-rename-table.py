"""user stars to user favorites

Revision ID: 1b4d5c1f0e4d
Revises: 0a3c4b0e9d3c
"""
import sqlalchemy as sa
from alembic import op

revision = "1b4d5c1f0e4d"
down_revision = "0a3c4b0e9d3c"
branch_labels = None
depends_on = None


def upgrade():
    op.rename_table("user_stars", "user_favorites")


def downgrade():
    op.rename_table("user_favorites", "user_stars")
