"""drop audit log

Revision ID: f02b3fad8c2b
Revises: ef1a2e9c7b1a
"""
import sqlalchemy as sa
from alembic import op

revision = "f02b3fad8c2b"
down_revision = "ef1a2e9c7b1a"
branch_labels = None
depends_on = None


def upgrade():
    op.drop_table("audit_log")


def downgrade():
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("message", sa.Text(), nullable=True),
    )
