"""nullify default task prompt

Revision ID: 699221885109
Revises: 7e490836d179
"""
import sqlalchemy as sa
from alembic import op

revision = "699221885109"
down_revision = "7e490836d179"
branch_labels = None
depends_on = None

DEFAULT_PERSONA_ID = 0


def upgrade():
    op.alter_column("persona", "task_prompt", nullable=True)

    conn = op.get_bind()
    conn.execute(
        sa.text(
            """
            UPDATE persona
            SET task_prompt = NULL
            WHERE id = :persona_id
            """
        ),
        {"persona_id": DEFAULT_PERSONA_ID},
    )


def downgrade():
    conn = op.get_bind()
    conn.execute(sa.text("UPDATE persona SET task_prompt = '' WHERE task_prompt IS NULL"))
    op.alter_column("persona", "task_prompt", nullable=False)
