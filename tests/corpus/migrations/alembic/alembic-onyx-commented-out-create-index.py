"""add index

Revision ID: 8f43500ee275
Revises: da42808081e3
"""
import sqlalchemy as sa
from alembic import op

revision = "8f43500ee275"
down_revision = "da42808081e3"
branch_labels = None
depends_on = None


def upgrade():
    # Create a basic index on the lowercase message column for direct text matching
    # op.execute(
    #     """
    #     CREATE INDEX idx_chat_message_message_lower
    #     ON chat_message (LOWER(substring(message, 1, 1500)))
    #     """
    # )
    pass


def downgrade():
    # op.execute("DROP INDEX IF EXISTS idx_chat_message_message_lower;")
    pass
