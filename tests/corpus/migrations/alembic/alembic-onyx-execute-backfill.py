"""backfill is_internet data to False

Revision ID: b896bbd0d5a7
Revises: 44f856ae2a4a
"""
import sqlalchemy as sa
from alembic import op

revision = "b896bbd0d5a7"
down_revision = "44f856ae2a4a"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("UPDATE search_doc SET is_internet = FALSE WHERE is_internet IS NULL")


def downgrade():
    pass
