"""positive balance

Revision ID: bc8d9b6f4e87
Revises: ab7c8a5e3d76
"""
import sqlalchemy as sa
from alembic import op

revision = "bc8d9b6f4e87"
down_revision = "ab7c8a5e3d76"
branch_labels = None
depends_on = None


def upgrade():
    op.create_check_constraint(
        constraint_name="positive_balance",
        table_name="accounts",
        condition='"balance" >= 0',
    )


def downgrade():
    op.drop_constraint(
        constraint_name="positive_balance",
        table_name="accounts",
    )
