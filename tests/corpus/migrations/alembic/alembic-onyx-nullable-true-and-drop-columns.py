"""combine search and chat

Revision ID: 9f696734098f
Revises: a8c2065484e6
"""
import sqlalchemy as sa
from alembic import op

revision = "9f696734098f"
down_revision = "a8c2065484e6"
branch_labels = None
depends_on = None


def upgrade():
    op.alter_column("chat_session", "description", nullable=True)
    op.drop_column("chat_session", "one_shot")
    op.drop_column("slack_channel_config", "response_type")


def downgrade():
    op.add_column(
        "slack_channel_config",
        sa.Column("response_type", sa.VARCHAR(), autoincrement=False, nullable=True),
    )
    op.add_column(
        "chat_session",
        sa.Column("one_shot", sa.BOOLEAN(), autoincrement=False, nullable=True),
    )
    op.alter_column("chat_session", "description", nullable=False)
