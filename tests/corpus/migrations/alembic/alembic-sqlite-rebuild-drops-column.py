"""drop sources.pending via table rebuild

Revision ID: 3c8d2f1e0b55
Revises: 2b7c1e0d9a44
"""
import sqlalchemy as sa
from alembic import op

revision = "3c8d2f1e0b55"
down_revision = "2b7c1e0d9a44"
branch_labels = None
depends_on = None


def upgrade():
    conn = op.get_bind()
    conn.execute(sa.text("PRAGMA foreign_keys=OFF"))
    conn.execute(
        sa.text(
            """
            CREATE TABLE sources_new (
                id INTEGER NOT NULL PRIMARY KEY,
                uuid VARCHAR(36) NOT NULL UNIQUE,
                journalist_designation VARCHAR(255) NOT NULL,
                note TEXT
            )
            """
        )
    )
    conn.execute(
        sa.text(
            "INSERT INTO sources_new (id, uuid, journalist_designation, note) "
            "SELECT id, uuid, journalist_designation, note FROM sources"
        )
    )
    conn.execute(sa.text("DROP TABLE sources"))
    conn.execute(sa.text("ALTER TABLE sources_new RENAME TO sources"))
    conn.execute(sa.text("PRAGMA foreign_keys=ON"))


def downgrade():
    with op.batch_alter_table("sources") as batch_op:
        batch_op.add_column(sa.Column("pending", sa.Boolean(), nullable=True))
