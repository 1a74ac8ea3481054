"""users properties

Revision ID: 4e7a8f4c3b70
Revises: 3d6f7e3b2a6f
"""
import sqlalchemy as sa
from alembic import op

revision = "4e7a8f4c3b70"
down_revision = "3d6f7e3b2a6f"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("users", sa.Column("properties", sa.JSON(), nullable=True))


def downgrade():
    op.drop_column("users", "properties")
