"""drop Source.flagged

Revision ID: b060f38c0c31
Revises: 92fba0be98e9
"""
import sqlalchemy as sa
from alembic import op

revision = "b060f38c0c31"
down_revision = "92fba0be98e9"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.drop_column("flagged")


def downgrade():
    conn = op.get_bind()
    conn.execute("PRAGMA legacy_alter_table=ON")

    op.rename_table("sources", "sources_tmp")

    conn.execute(
        sa.text(
            """
            CREATE TABLE "sources" (
                id INTEGER NOT NULL,
                uuid VARCHAR(36) NOT NULL,
                filesystem_id VARCHAR(96),
                journalist_designation VARCHAR(255) NOT NULL,
                flagged BOOLEAN,
                PRIMARY KEY (id),
                CHECK (flagged IN (0, 1)),
                UNIQUE (uuid)
            )
            """
        )
    )

    conn.execute(
        """
        INSERT INTO sources (id, uuid, filesystem_id, journalist_designation)
        SELECT id, uuid, filesystem_id, journalist_designation FROM sources_tmp;
        """
    )

    op.drop_table("sources_tmp")
