"""update prompt length

Revision ID: 4794bc13e484
Revises: b7ec9b5b505f
"""
import sqlalchemy as sa
from alembic import op

revision = "4794bc13e484"
down_revision = "b7ec9b5b505f"
branch_labels = None
depends_on = None


def upgrade():
    op.alter_column(
        "prompt",
        "system_prompt",
        existing_type=sa.TEXT(),
        type_=sa.String(length=5000000),
        existing_nullable=False,
    )
    op.alter_column(
        "prompt",
        "task_prompt",
        existing_type=sa.TEXT(),
        type_=sa.String(length=5000000),
        existing_nullable=False,
    )


def downgrade():
    op.alter_column(
        "prompt",
        "system_prompt",
        existing_type=sa.String(length=5000000),
        type_=sa.TEXT(),
        existing_nullable=False,
    )
    op.alter_column(
        "prompt",
        "task_prompt",
        existing_type=sa.String(length=5000000),
        type_=sa.TEXT(),
        existing_nullable=False,
    )
