"""remove default bot

Revision ID: 6d562f86c78b
Revises: 177de57c21c9
"""
import sqlalchemy as sa
from alembic import op

revision = "6d562f86c78b"
down_revision = "177de57c21c9"
branch_labels = None
depends_on = None


def upgrade():
    op.execute(
        sa.text(
            """
            DELETE FROM slack_bot
            WHERE name = 'Default Bot'
            AND bot_token = ''
            AND app_token = ''
            AND NOT EXISTS (
                SELECT 1 FROM slack_channel_config
                WHERE slack_channel_config.slack_bot_id = slack_bot.id
            )
            """
        )
    )


def downgrade():
    pass
