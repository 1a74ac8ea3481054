"""view_count not null check

Revision ID: 5c2d3b0f8e21
Revises: 4b1c2a9e7d10
"""
import sqlalchemy as sa
from alembic import op

revision = "5c2d3b0f8e21"
down_revision = "4b1c2a9e7d10"
branch_labels = None
depends_on = None


def upgrade():
    op.create_check_constraint(
        constraint_name="view_count_not_null",
        table_name="recipe",
        condition='"view_count" IS NOT NULL',
        postgresql_not_valid=True,
    )


def downgrade():
    op.drop_constraint(
        constraint_name="view_count_not_null",
        table_name="recipe",
    )
