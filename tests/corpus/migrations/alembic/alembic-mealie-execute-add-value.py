"""add OIDC auth method

Revision ID: 09aba125b57a
Revises: 2298bb460ffd
"""
from alembic import op

from mealie.db.migration_types import is_postgres

revision = "09aba125b57a"
down_revision = "2298bb460ffd"
branch_labels = None
depends_on = None


def upgrade():
    if is_postgres():
        op.execute("ALTER TYPE authmethod ADD VALUE 'OIDC'")


def downgrade():
    pass
