"""delete input prompts

Revision ID: bf7a81109301
Revises: f7a894b06d02
"""
import sqlalchemy as sa
from alembic import op

revision = "bf7a81109301"
down_revision = "f7a894b06d02"
branch_labels = None
depends_on = None


def upgrade():
    op.drop_table("inputprompt__user")
    op.drop_table("inputprompt")


def downgrade():
    op.create_table(
        "inputprompt",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("prompt", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "inputprompt__user",
        sa.Column("input_prompt_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("input_prompt_id", "user_id"),
    )
