"""delete orphaned submissions and replies

Revision ID: 3da3fcab826a
Revises: 60f41bb14d98
"""
import sqlalchemy as sa
from alembic import op

revision = "3da3fcab826a"
down_revision = "60f41bb14d98"
branch_labels = None
depends_on = None

def raw_sql_grab_orphaned_objects(table_name: str) -> str:
    """Objects that have a source ID that doesn't exist in the sources table."""
    return (
        f"SELECT id, filename, source_id FROM {table_name} "  # noqa: S608
        f"WHERE source_id NOT IN (SELECT id FROM sources)"
    )


def upgrade():
    conn = op.get_bind()
    submissions = conn.execute(sa.text(raw_sql_grab_orphaned_objects("submissions"))).fetchall()
    replies = conn.execute(sa.text(raw_sql_grab_orphaned_objects("replies"))).fetchall()

    for submission in submissions:
        conn.execute(sa.text("DELETE FROM submissions WHERE id=:id").bindparams(id=submission.id))

    for reply in replies:
        conn.execute(sa.text("DELETE FROM replies WHERE id=:id").bindparams(id=reply.id))


def downgrade():
    # This is a destructive alembic migration, it cannot be downgraded
    pass
