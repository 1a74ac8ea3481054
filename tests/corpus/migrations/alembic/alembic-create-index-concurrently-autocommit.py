"""email idx

Revision ID: 6d3e4c1a9f32
Revises: 5c2d3b0f8e21
"""
import sqlalchemy as sa
from alembic import op

revision = "6d3e4c1a9f32"
down_revision = "5c2d3b0f8e21"
branch_labels = None
depends_on = None


def upgrade():
    with op.get_context().autocommit_block():
        op.create_index(
            op.f("email_idx"),
            "app_user",
            ["email"],
            unique=False,
            postgresql_concurrently=True,
        )


def downgrade():
    with op.get_context().autocommit_block():
        op.drop_index(
            "email_idx",
            table_name="app_user",
            postgresql_concurrently=True,
        )
