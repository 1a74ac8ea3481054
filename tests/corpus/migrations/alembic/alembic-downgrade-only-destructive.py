"""add orders note

Revision ID: 9c4d8f7e6b11
Revises: 8b3c7e6d5a00
"""
import sqlalchemy as sa
from alembic import op

revision = "9c4d8f7e6b11"
down_revision = "8b3c7e6d5a00"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("orders", sa.Column("note", sa.Text(), nullable=True))
    op.create_index("ix_orders_note", "orders", ["note"])


def downgrade():
    op.drop_index("ix_orders_note", table_name="orders")
    op.drop_column("orders", "note")
    op.execute("DROP TABLE IF EXISTS orders_note_backup")
