"""rename persona is_visible to is_listed and featured to is_featured

Revision ID: b728689f45b1
Revises: a1b2c3d4e5f7
"""
import sqlalchemy as sa
from alembic import op

revision = "b728689f45b1"
down_revision = "a1b2c3d4e5f7"
branch_labels = None
depends_on = None


def upgrade():
    op.alter_column("persona", "is_visible", new_column_name="is_listed")
    op.alter_column("persona", "featured", new_column_name="is_featured")


def downgrade():
    op.alter_column("persona", "is_listed", new_column_name="is_visible")
    op.alter_column("persona", "is_featured", new_column_name="featured")
