"""tags primary key

Revision ID: bfe0a013ce7e
Revises: aedfef02bd6d
"""
import sqlalchemy as sa
from alembic import op

revision = "bfe0a013ce7e"
down_revision = "aedfef02bd6d"
branch_labels = None
depends_on = None


def upgrade():
    op.create_primary_key("document_tags_pkey", "document_tags", ["document_id", "tag_id"])


def downgrade():
    op.drop_constraint("document_tags_pkey", "document_tags", type_="primary")
