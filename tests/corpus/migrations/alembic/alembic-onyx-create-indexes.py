"""add index to index_attempt.time_created

Revision ID: 0f7ff6d75b57
Revises: fec3db967bf7
"""
import sqlalchemy as sa
from alembic import op

revision = "0f7ff6d75b57"
down_revision = "fec3db967bf7"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(op.f("ix_index_attempt_status"), "index_attempt", ["status"], unique=False)
    op.create_index(op.f("ix_index_attempt_time_created"), "index_attempt", ["time_created"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_index_attempt_time_created"), table_name="index_attempt")
    op.drop_index(op.f("ix_index_attempt_status"), table_name="index_attempt")
