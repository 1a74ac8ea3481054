"""make journalist_id non-nullable

Revision ID: 2e24fc7536e8
Revises: de00920916bf
"""
import sqlalchemy as sa
from alembic import op

revision = "2e24fc7536e8"
down_revision = "de00920916bf"
branch_labels = None
depends_on = None

def migrate_nulls() -> None:
    """Delete rows whose journalist_id is NULL before the columns become NOT NULL."""
    op.execute("DELETE FROM journalist_login_attempt WHERE journalist_id IS NULL;")
    op.execute("DELETE FROM seen_files WHERE journalist_id IS NULL;")


def upgrade():
    migrate_nulls()

    with op.batch_alter_table("journalist_login_attempt", schema=None) as batch_op:
        batch_op.alter_column("journalist_id", existing_type=sa.INTEGER(), nullable=False)

    with op.batch_alter_table("replies", schema=None) as batch_op:
        batch_op.alter_column("journalist_id", existing_type=sa.INTEGER(), nullable=False)

    with op.batch_alter_table("seen_files", schema=None) as batch_op:
        batch_op.alter_column("journalist_id", existing_type=sa.INTEGER(), nullable=False)


def downgrade():
    with op.batch_alter_table("seen_files", schema=None) as batch_op:
        batch_op.alter_column("journalist_id", existing_type=sa.INTEGER(), nullable=True)

    with op.batch_alter_table("replies", schema=None) as batch_op:
        batch_op.alter_column("journalist_id", existing_type=sa.INTEGER(), nullable=True)

    with op.batch_alter_table("journalist_login_attempt", schema=None) as batch_op:
        batch_op.alter_column("journalist_id", existing_type=sa.INTEGER(), nullable=True)
