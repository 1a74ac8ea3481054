"""email user fk

Revision ID: 9a6b7f4d2c65
Revises: 8f5a6e3c1b54
"""
import sqlalchemy as sa
from alembic import op

revision = "9a6b7f4d2c65"
down_revision = "8f5a6e3c1b54"
branch_labels = None
depends_on = None


def upgrade():
    op.create_foreign_key(
        "fk_user",
        "email",
        "user",
        ["user_id"],
        ["id"],
        postgresql_not_valid=True,
    )


def downgrade():
    op.drop_constraint("fk_user", "email", type_="foreignkey")
