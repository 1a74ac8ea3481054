"""make filesystem_id non-nullable

Revision ID: b7f98cfd6a70
Revises: d9d36b6f4d1e
"""
import sqlalchemy as sa
from alembic import op

revision = "b7f98cfd6a70"
down_revision = "d9d36b6f4d1e"
branch_labels = None
depends_on = None


def upgrade():
    for table in ("source_stars", "submissions", "replies"):
        op.execute(
            f"DELETE FROM {table} WHERE source_id IN "  # noqa: S608
            f"(SELECT id FROM sources WHERE filesystem_id IS NULL)"
        )
    op.execute("DELETE FROM sources WHERE filesystem_id IS NULL")
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.alter_column("filesystem_id", existing_type=sa.VARCHAR(length=96), nullable=False)


def downgrade():
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.alter_column("filesystem_id", existing_type=sa.VARCHAR(length=96), nullable=True)
