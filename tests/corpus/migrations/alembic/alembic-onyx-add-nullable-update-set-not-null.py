"""add is_visible to persona

Revision ID: 891cd83c87a8
Revises: 76b60d407dfb
"""
import sqlalchemy as sa
from alembic import op

revision = "891cd83c87a8"
down_revision = "76b60d407dfb"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("persona", sa.Column("is_visible", sa.Boolean(), nullable=True))
    op.execute("UPDATE persona SET is_visible = true")
    op.alter_column("persona", "is_visible", nullable=False)

    op.add_column("persona", sa.Column("display_priority", sa.Integer(), nullable=True))


def downgrade():
    op.drop_column("persona", "is_visible")
    op.drop_column("persona", "display_priority")
