"""user_email user_id bigint

Revision ID: 3d6f7e3b2a6f
Revises: 2c5e6d2a1f5e
"""
import sqlalchemy as sa
from alembic import op

revision = "3d6f7e3b2a6f"
down_revision = "2c5e6d2a1f5e"
branch_labels = None
depends_on = None


def upgrade():
    op.alter_column(
        "user_email",
        "user_id",
        existing_type=sa.Integer(),
        type_=sa.BigInteger(),
        existing_nullable=False,
    )


def downgrade():
    op.alter_column(
        "user_email",
        "user_id",
        existing_type=sa.BigInteger(),
        type_=sa.Integer(),
        existing_nullable=False,
    )
