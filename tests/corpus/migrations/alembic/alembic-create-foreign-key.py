"""email user fk

Revision ID: ab7c8a5e3d76
Revises: 9a6b7f4d2c65
"""
import sqlalchemy as sa
from alembic import op

revision = "ab7c8a5e3d76"
down_revision = "9a6b7f4d2c65"
branch_labels = None
depends_on = None


def upgrade():
    op.create_foreign_key("fk_user", "email", "user", ["user_id"], ["id"])


def downgrade():
    op.drop_constraint("fk_user", "email", type_="foreignkey")
