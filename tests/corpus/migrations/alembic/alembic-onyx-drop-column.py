"""drop demo_data_enabled from build_session

Revision ID: 0df3c40e902a
Revises: a2b3c4d5e6f7
"""
import sqlalchemy as sa
from alembic import op

revision = "0df3c40e902a"
down_revision = "a2b3c4d5e6f7"
branch_labels = None
depends_on = None


def upgrade():
    op.drop_column("build_session", "demo_data_enabled")


def downgrade():
    op.add_column(
        "build_session",
        sa.Column(
            "demo_data_enabled",
            sa.Boolean(),
            server_default=sa.text("true"),
            nullable=False,
        ),
    )
