"""remove voice_provider deleted column

Revision ID: 1d78c0ca7853
Revises: b30353be4eec
"""
import sqlalchemy as sa
from alembic import op

revision = "1d78c0ca7853"
down_revision = "b30353be4eec"
branch_labels = None
depends_on = None


def upgrade():
    # Hard-delete any soft-deleted rows before dropping the column
    op.execute("DELETE FROM voice_provider WHERE deleted = true")
    op.drop_column("voice_provider", "deleted")


def downgrade():
    op.add_column(
        "voice_provider",
        sa.Column("deleted", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
