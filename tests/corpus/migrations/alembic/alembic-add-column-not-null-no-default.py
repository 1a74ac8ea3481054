"""recipe public

Revision ID: de0f1d8b6a09
Revises: cd9e0c7a5f98
"""
import sqlalchemy as sa
from alembic import op

revision = "de0f1d8b6a09"
down_revision = "cd9e0c7a5f98"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("recipe", sa.Column("public", sa.Boolean(), nullable=False))


def downgrade():
    op.drop_column("recipe", "public")
