"""drop orders customer fk

Revision ID: 6a9cab6e5d92
Revises: 5f8b9a5d4c81
"""
import sqlalchemy as sa
from alembic import op

revision = "6a9cab6e5d92"
down_revision = "5f8b9a5d4c81"
branch_labels = None
depends_on = None


def upgrade():
    op.drop_constraint("orders_customer_id_fkey", "orders", type_="foreignkey")


def downgrade():
    op.create_foreign_key(
        "orders_customer_id_fkey", "orders", "customers", ["customer_id"], ["id"]
    )
