"""dist id uniq

Revision ID: 8f5a6e3c1b54
Revises: 7e4f5d2b0a43
"""
import sqlalchemy as sa
from alembic import op

revision = "8f5a6e3c1b54"
down_revision = "7e4f5d2b0a43"
branch_labels = None
depends_on = None


def upgrade():
    with op.get_context().autocommit_block():
        op.create_index(
            op.f("dist_id_uniq"),
            "distributors",
            ["dist_id"],
            unique=True,
            postgresql_concurrently=True,
        )


def downgrade():
    with op.get_context().autocommit_block():
        op.drop_index(
            op.f("dist_id_uniq"),
            postgresql_concurrently=True,
        )
