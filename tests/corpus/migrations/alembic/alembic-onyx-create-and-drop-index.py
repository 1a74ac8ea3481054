"""replace document sync index with partial index

Revision ID: a6fcd3d631f9
Revises: a5370af8f8a0
"""
import sqlalchemy as sa
from alembic import op

revision = "a6fcd3d631f9"
down_revision = "a5370af8f8a0"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_document_needs_sync",
        "document",
        ["id"],
        postgresql_where=sa.text("last_modified > last_synced OR last_synced IS NULL"),
    )
    op.drop_index("ix_document_sync_status", table_name="document")


def downgrade():
    op.create_index("ix_document_sync_status", "document", ["last_modified", "last_synced"])
    op.drop_index("ix_document_needs_sync", table_name="document")
