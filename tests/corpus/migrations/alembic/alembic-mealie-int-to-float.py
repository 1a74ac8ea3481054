"""convert quantity from integer to float

Revision ID: 263dd6707191
Revises: 6b0f5f32d602
"""
import sqlalchemy as sa
from alembic import op

from mealie.db.migration_types import is_postgres

revision = "263dd6707191"
down_revision = "6b0f5f32d602"
branch_labels = None
depends_on = None


def upgrade():
    # SQLite doesn't require migration as types are not enforced.
    if is_postgres():
        op.alter_column(
            "recipes_ingredients",
            "quantity",
            type_=sa.Float(),
            existing_type=sa.Integer(),
        )


def downgrade():
    if is_postgres():
        op.alter_column(
            "recipes_ingredients",
            "quantity",
            type_=sa.Integer(),
            existing_type=sa.Float(),
        )
