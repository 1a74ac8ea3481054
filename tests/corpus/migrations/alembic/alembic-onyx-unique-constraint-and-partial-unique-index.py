"""add unique constraint to inputprompt

Revision ID: 2c2430828bdf
Revises: 1f2a3b4c5d6e
"""
import sqlalchemy as sa
from alembic import op

revision = "2c2430828bdf"
down_revision = "1f2a3b4c5d6e"
branch_labels = None
depends_on = None


def upgrade():
    op.create_unique_constraint(
        "uq_inputprompt_prompt_user_id",
        "inputprompt",
        ["prompt", "user_id"],
    )

    # PostgreSQL unique constraints don't enforce uniqueness for NULL values,
    # so a partial index covers public prompts (user_id IS NULL)
    op.execute(
        """
        CREATE UNIQUE INDEX uq_inputprompt_prompt_public
        ON inputprompt (prompt)
        WHERE user_id IS NULL
        """
    )


def downgrade():
    op.execute("DROP INDEX IF EXISTS uq_inputprompt_prompt_public")
    op.drop_constraint("uq_inputprompt_prompt_user_id", "inputprompt", type_="unique")
