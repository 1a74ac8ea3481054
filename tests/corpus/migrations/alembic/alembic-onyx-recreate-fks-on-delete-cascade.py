"""add user delete cascades

Revision ID: 1b8206b29c5d
Revises: 35e6853a51d5
"""
import sqlalchemy as sa
from alembic import op

revision = "1b8206b29c5d"
down_revision = "35e6853a51d5"
branch_labels = None
depends_on = None


def upgrade():
    op.drop_constraint("credential_user_id_fkey", "credential", type_="foreignkey")
    op.create_foreign_key(
        "credential_user_id_fkey", "credential", "user", ["user_id"], ["id"], ondelete="CASCADE"
    )

    op.drop_constraint("chat_session_user_id_fkey", "chat_session", type_="foreignkey")
    op.create_foreign_key(
        "chat_session_user_id_fkey", "chat_session", "user", ["user_id"], ["id"], ondelete="CASCADE"
    )


def downgrade():
    op.drop_constraint("chat_session_user_id_fkey", "chat_session", type_="foreignkey")
    op.create_foreign_key("chat_session_user_id_fkey", "chat_session", "user", ["user_id"], ["id"])

    op.drop_constraint("credential_user_id_fkey", "credential", type_="foreignkey")
    op.create_foreign_key("credential_user_id_fkey", "credential", "user", ["user_id"], ["id"])
