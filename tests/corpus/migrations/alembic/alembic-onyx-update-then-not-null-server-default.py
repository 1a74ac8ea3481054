"""non nullable default persona

Revision ID: bd2921608c3a
Revises: 797089dfb4d2
"""
import sqlalchemy as sa
from alembic import op

revision = "bd2921608c3a"
down_revision = "797089dfb4d2"
branch_labels = None
depends_on = None


def upgrade():
    op.execute(
        "UPDATE persona SET is_default_persona = FALSE WHERE is_default_persona IS NULL"
    )

    op.alter_column(
        "persona",
        "is_default_persona",
        existing_type=sa.Boolean(),
        nullable=False,
        server_default=sa.text("false"),
    )


def downgrade():
    op.alter_column(
        "persona",
        "is_default_persona",
        existing_type=sa.Boolean(),
        nullable=True,
        server_default=None,
    )
