"""remove feedback foreignkey constraint

Revision ID: 23957775e5f5
Revises: bc9771dccadf
"""
import sqlalchemy as sa
from alembic import op

revision = "23957775e5f5"
down_revision = "bc9771dccadf"
branch_labels = None
depends_on = None


def upgrade():
    op.drop_constraint("chat_feedback__chat_message_fk", "chat_feedback", type_="foreignkey")
    op.create_foreign_key(
        "chat_feedback__chat_message_fk",
        "chat_feedback",
        "chat_message",
        ["chat_message_id"],
        ["id"],
        ondelete="SET NULL",
    )
    op.alter_column("chat_feedback", "chat_message_id", existing_type=sa.Integer(), nullable=True)


def downgrade():
    op.drop_constraint("chat_feedback__chat_message_fk", "chat_feedback", type_="foreignkey")
    op.create_foreign_key(
        "chat_feedback__chat_message_fk", "chat_feedback", "chat_message", ["chat_message_id"], ["id"]
    )
    op.alter_column("chat_feedback", "chat_message_id", existing_type=sa.Integer(), nullable=False)
