"""add archived status

Revision ID: 9dcede91ac5c
Revises: 8cbdcd80fb4b
"""
import sqlalchemy as sa
from alembic import op

revision = "9dcede91ac5c"
down_revision = "8cbdcd80fb4b"
branch_labels = None
depends_on = None


def upgrade():
    with op.get_context().autocommit_block():
        op.execute("ALTER TYPE task_status ADD VALUE IF NOT EXISTS 'archived' AFTER 'done'")


def downgrade():
    # Postgres cannot drop an enum value
    pass
