"""rename users fullname

Revision ID: cf7abcab9e44
Revises: be6fab9a8d33
"""
import sqlalchemy as sa
from alembic import op

revision = "cf7abcab9e44"
down_revision = "be6fab9a8d33"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users") as batch_op:
        batch_op.alter_column("fullname", new_column_name="display_name", existing_type=sa.String(length=255))


def downgrade():
    with op.batch_alter_table("users") as batch_op:
        batch_op.alter_column("display_name", new_column_name="fullname", existing_type=sa.String(length=255))
