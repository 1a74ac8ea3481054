"""add default_app_mode to user

Revision ID: 114a638452db
Revises: e7f8b2c3d4a5
"""
import sqlalchemy as sa
from alembic import op

revision = "114a638452db"
down_revision = "e7f8b2c3d4a5"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "user",
        sa.Column(
            "default_app_mode",
            sa.String(),
            nullable=False,
            server_default="CHAT",
        ),
    )


def downgrade():
    op.drop_column("user", "default_app_mode")
