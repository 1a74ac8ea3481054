"""drop legacy flag

Revision ID: ef1a2e9c7b1a
Revises: de0f1d8b6a09
"""
import sqlalchemy as sa
from alembic import op

revision = "ef1a2e9c7b1a"
down_revision = "de0f1d8b6a09"
branch_labels = None
depends_on = None


def upgrade():
    op.drop_column("users", "legacy_flag")


def downgrade():
    op.add_column("users", sa.Column("legacy_flag", sa.Boolean(), nullable=True))
