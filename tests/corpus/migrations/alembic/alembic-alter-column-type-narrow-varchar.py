"""shorten country code

Revision ID: 2c5e6d2a1f5e
Revises: 1b4d5c1f0e4d
"""
import sqlalchemy as sa
from alembic import op

revision = "2c5e6d2a1f5e"
down_revision = "1b4d5c1f0e4d"
branch_labels = None
depends_on = None


def upgrade():
    op.alter_column(
        "addresses",
        "country_code",
        existing_type=sa.String(length=64),
        type_=sa.String(length=2),
        existing_nullable=True,
    )


def downgrade():
    op.alter_column(
        "addresses",
        "country_code",
        existing_type=sa.String(length=2),
        type_=sa.String(length=64),
        existing_nullable=True,
    )
