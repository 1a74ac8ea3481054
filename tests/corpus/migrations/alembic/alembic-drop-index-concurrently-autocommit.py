"""drop email idx

Revision ID: 7e4f5d2b0a43
Revises: 6d3e4c1a9f32
"""
import sqlalchemy as sa
from alembic import op

revision = "7e4f5d2b0a43"
down_revision = "6d3e4c1a9f32"
branch_labels = None
depends_on = None


def upgrade():
    with op.get_context().autocommit_block():
        op.drop_index(
            "email_idx",
            table_name="app_user",
            postgresql_concurrently=True,
        )


def downgrade():
    with op.get_context().autocommit_block():
        op.create_index(
            op.f("email_idx"),
            "app_user",
            ["email"],
            unique=False,
            postgresql_concurrently=True,
        )
