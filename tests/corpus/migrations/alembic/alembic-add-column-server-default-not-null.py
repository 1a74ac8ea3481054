"""core recipe foo

Revision ID: cd9e0c7a5f98
Revises: bc8d9b6f4e87
"""
import sqlalchemy as sa
from alembic import op

revision = "cd9e0c7a5f98"
down_revision = "bc8d9b6f4e87"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "core_recipe",
        sa.Column("foo", sa.Integer(), server_default="10", nullable=False),
    )


def downgrade():
    op.drop_column("core_recipe", "foo")
