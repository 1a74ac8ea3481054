"""rename user_file secondary_only_sync_pending

Revision ID: f0ff4d3e69ac
Revises: e8f0d2a38171
"""
import sqlalchemy as sa
from alembic import op

revision = "f0ff4d3e69ac"
down_revision = "e8f0d2a38171"
branch_labels = None
depends_on = None


def upgrade():
    # Metadata-only renames: no rewrite, no CONCURRENTLY.
    op.execute(
        "ALTER TABLE user_file "
        "RENAME COLUMN secondary_only_sync_pending TO secondary_reconcile_pending"
    )
    op.execute(
        "ALTER INDEX ix_user_file_secondary_only_sync_pending "
        "RENAME TO ix_user_file_secondary_reconcile_pending"
    )


def downgrade():
    op.execute(
        "ALTER INDEX ix_user_file_secondary_reconcile_pending "
        "RENAME TO ix_user_file_secondary_only_sync_pending"
    )
    op.execute(
        "ALTER TABLE user_file "
        "RENAME COLUMN secondary_reconcile_pending TO secondary_only_sync_pending"
    )
