"""orders created_at idx

Revision ID: ad5e9a8f7c22
Revises: 9c4d8f7e6b11
"""
import sqlalchemy as sa
from alembic import op

revision = "ad5e9a8f7c22"
down_revision = "9c4d8f7e6b11"
branch_labels = None
depends_on = None


def upgrade():
    with op.get_context().autocommit_block():
        op.execute("CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_orders_created_at ON orders (created_at)")


def downgrade():
    with op.get_context().autocommit_block():
        op.execute("DROP INDEX CONCURRENTLY IF EXISTS ix_orders_created_at")
